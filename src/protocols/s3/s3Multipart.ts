import type { HttpStack, OpenRequest, Protocol, ProtocolSession } from '../../core/ports.js';
import { loadOnce } from '../../core/loadOnce.js';
import { UploadError } from '../../core/UploadError.js';
import { XhrHttpStack } from '../http/XhrHttpStack.js';
import { absoluteUrl } from '../http/resolveUrl.js';
import { partSizeFor, S3_LIMITS } from './partGrid.js';
import { declaration, uploadAlgorithm } from './s3Checksum.js';
import { s3JsonBackend } from './s3JsonBackend.js';
import type { S3MultipartBackend, S3MultipartOptions } from './s3Types.js';

const MiB = 1024 * 1024;

/** The sessions' chunk, kept once loaded; a failed load is forgotten, so the next open asks again. */
const loadSessions = loadOnce(() => import('./sessions.js'));

/**
 * S3 multipart upload through presigned URLs: the app's backend creates, signs, lists, completes and
 * aborts (it holds the credentials); the browser PUTs the parts, several at once, straight to S3.
 * Files below `multipartThreshold` go up as one presigned PutObject instead.
 * Either give the backend calls, or `endpoint` for a backend that serves the JSON API in the README.
 */
export function s3Multipart(options: S3MultipartOptions): Protocol {
  let http: HttpStack | undefined = options.http;
  const httpStack = (): HttpStack => (http ??= new XhrHttpStack());
  const backend: S3MultipartBackend = 'createMultipartUpload' in options ? options : s3JsonBackend(absoluteUrl(options.endpoint), httpStack);
  const preferred = options.partSize ?? 8 * MiB;
  const maxParallelParts = Math.max(1, Math.floor(options.maxParallelParts ?? 4));
  const threshold = Math.min(S3_LIMITS.maxPutSize, options.multipartThreshold ?? Math.max(S3_LIMITS.minPartSize, preferred));
  const signPut = backend.signPut?.bind(backend);
  const preferredChecksum = options.checksumAlgorithm ?? 'crc32c';
  return {
    name: 's3-multipart',
    // Every part (or single PUT) carries this checksum under 'auto': the engine loads its hashing code when a file is added.
    autoChecksum: preferredChecksum || undefined,
    endpoint: options.endpoint === undefined ? 's3-multipart' : absoluteUrl(options.endpoint),
    async open(request: OpenRequest): Promise<ProtocolSession> {
      const { file, resume, headers, signal } = request;
      const checksum = uploadAlgorithm(request, preferredChecksum);
      // A multipart upload a record names is continued even below the threshold: its parts are on S3.
      const small = file.size === 0 || file.size < threshold;
      const partSize = partSizeFor(file.size, preferred);
      const single = signPut && small && !resume?.state?.['uploadId'];
      if (!single && partSize > S3_LIMITS.maxPartSize) throw new UploadError('protocol', `S3: ${file.size} bytes do not fit in 10,000 parts of at most 5 GiB`);
      // A new upload is asked of S3 now, not once the sessions' code is here (on a 40 ms link that
      // code cost a round trip, often with a handshake, before the create). Its own controller: like
      // the session's create, it outlives a pause (sendPart and sync wait for it; see begin()).
      const controller = new AbortController();
      const early = single || resume ? undefined : { controller, upload: backend.createMultipartUpload({ ...file, ...declaration(checksum) }, controller.signal, headers) };
      early?.upload.catch(() => undefined);
      try {
        const { S3MultipartSession, S3PutSession } = await loadSessions();
        // Paused or destroyed while the code loaded: start nothing.
        signal.throwIfAborted();
        if (single) return new S3PutSession({ signPut, http: httpStack(), file, checksum });
        const session = new S3MultipartSession({ backend, http: httpStack(), file, partSize, maxParallelParts, checksum });
        if (resume) await session.resumeFrom(resume, headers, signal);
        // Not awaited: the first part's read and checksum overlap S3's create (sendPart waits for it).
        else session.begin(headers, early);
        return session;
      } catch (error) {
        // No session will know the upload S3 makes for the early create: abort it, not leave it behind.
        void early?.upload.then((upload) => backend.abortMultipartUpload(upload, controller.signal, headers)).catch(() => undefined);
        throw error;
      }
    },
    preload() {
      void loadSessions();
    },
  };
}
