import type { HttpStack, OpenRequest, Protocol, ProtocolSession } from '../../core/ports.js';
import { UploadError } from '../../core/UploadError.js';
import { XhrHttpStack } from '../http/XhrHttpStack.js';
import { absoluteUrl } from '../http/resolveUrl.js';
import { partSizeFor, S3_LIMITS } from './partGrid.js';
import { S3MultipartSession } from './S3MultipartSession.js';
import { s3JsonBackend } from './s3JsonBackend.js';
import type { S3MultipartBackend, S3MultipartOptions } from './s3Types.js';

const MiB = 1024 * 1024;

/**
 * S3 multipart upload through presigned URLs: the app's backend creates, signs, lists, completes and
 * aborts (it holds the credentials); the browser PUTs the parts, several at once, straight to S3.
 * Either give the five backend calls, or `endpoint` for a backend that serves the JSON API in the README.
 */
export function s3Multipart(options: S3MultipartOptions): Protocol {
  let http: HttpStack | undefined = options.http;
  const httpStack = (): HttpStack => (http ??= new XhrHttpStack());
  const backend: S3MultipartBackend = 'createMultipartUpload' in options ? options : s3JsonBackend(absoluteUrl(options.endpoint), httpStack);
  const preferred = options.partSize ?? 8 * MiB;
  const maxParallelParts = Math.max(1, Math.floor(options.maxParallelParts ?? 4));
  return {
    name: 's3-multipart',
    endpoint: options.endpoint === undefined ? 's3-multipart' : absoluteUrl(options.endpoint),
    async open({ file, resume, headers, signal }: OpenRequest): Promise<ProtocolSession> {
      const partSize = partSizeFor(file.size, preferred);
      if (partSize > S3_LIMITS.maxPartSize) throw new UploadError('protocol', `S3: ${file.size} bytes do not fit in 10,000 parts of at most 5 GiB`);
      const session = new S3MultipartSession({ backend, http: httpStack(), file, partSize, maxParallelParts });
      if (resume) await session.resumeFrom(resume, headers, signal);
      else await session.create(headers, signal);
      return session;
    },
  };
}
