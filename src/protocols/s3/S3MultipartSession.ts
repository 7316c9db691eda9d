import type {
  ByteRange,
  ChecksumAlgorithm,
  HeaderRecord,
  HttpStack,
  PartRequest,
  PartResult,
  ProtocolSession,
  ResumeRecord,
  SessionCapabilities,
  UploadFileInfo,
} from '../../core/ports.js';
import { mergeRanges } from '../../core/PartPlanner.js';
import { onAbort } from '../../core/onAbort.js';
import { UploadError } from '../../core/UploadError.js';
import { partNumberAt, partRange, S3_LIMITS } from './partGrid.js';
import { putSigned } from './putSigned.js';
import { declaration, fromS3Name, partChecksum } from './s3Checksum.js';
import type { S3MultipartBackend, S3Upload } from './s3Types.js';
import type { UploadResult } from '../../core/ports.js';

/** A CreateMultipartUpload already sent, with the controller that aborts it. */
export interface BegunCreate {
  upload: Promise<S3Upload>;
  controller: AbortController;
}

export interface S3SessionConfig {
  backend: S3MultipartBackend;
  http: HttpStack;
  file: UploadFileInfo;
  partSize: number;
  maxParallelParts: number;
  /** The checksum each part carries (declared when the upload is created), or null. */
  checksum: ChecksumAlgorithm | null;
}

/**
 * One S3 multipart upload. Parts sit on a fixed grid (part n covers [(n - 1) * partSize, n * partSize)),
 * so the ranges S3 holds follow from ListParts alone, and any of them may be in flight at once.
 * The resume record keeps the key, upload id and part size: never a presigned URL, which is a
 * credential for as long as it is valid.
 */
export class S3MultipartSession implements ProtocolSession {
  readonly #config: S3SessionConfig;
  #partSize: number;
  #upload: S3Upload | undefined;
  #location: string | undefined;
  /** ETag of each part S3 holds, by part number. */
  readonly #etags = new Map<number, string>();
  /** The checksum (base64) of each part S3 holds, by part number: CompleteMultipartUpload lists them. */
  readonly #checksums = new Map<number, string>();
  /** The algorithm the parts carry: the configured one, or a resumed upload's (it was created with it). */
  #checksum: ChecksumAlgorithm | null;
  /** A CreateMultipartUpload begun by begin() and not yet awaited by a part or sync(), with its abort. */
  #creating: { done: Promise<void>; controller: AbortController } | null = null;

  constructor(config: S3SessionConfig) {
    this.#config = config;
    this.#partSize = config.partSize;
    this.#checksum = config.checksum;
  }

  /** The grid is fixed once open() returns: resumeFrom (during open) may take a record's part size. */
  get capabilities(): SessionCapabilities {
    return { checksum: this.#checksum, maxParallelParts: this.#config.maxParallelParts, layout: { kind: 'grid', partSize: this.#partSize } };
  }

  get uploaded(): readonly ByteRange[] {
    const { size } = this.#config.file;
    return mergeRanges([...this.#etags.keys()].map((n) => partRange(n, this.#partSize, size)));
  }

  resumeRecord(): Omit<ResumeRecord, 'createdAt' | 'expiresAt'> | undefined {
    const upload = this.#upload;
    if (!upload) return undefined;
    const state: Record<string, string> = { uploadId: upload.uploadId, key: upload.key, partSize: String(this.#partSize) };
    // The algorithm the upload was created with: its parts must carry that one, whatever the defaults are by then.
    const { checksumAlgorithm } = declaration(this.capabilities.checksum);
    if (checksumAlgorithm) state['checksumAlgorithm'] = checksumAlgorithm;
    return { url: this.#location ?? `s3:${upload.key}`, state };
  }

  /**
   * A new upload on S3, without waiting for the answer: open() returns at once, so the engine reads
   * and checksums the first part (its signature needs the checksum) while S3 creates the upload,
   * instead of after. Parts wait for the answer in sendPart. Like tus' creating POST, the request
   * outlives a pause (the next run's sync() waits for it); a part's creationSignal (destroy, offline,
   * no answer in time) aborts it.
   */
  begin(headers: HeaderRecord, started?: BegunCreate): void {
    const controller = started?.controller ?? new AbortController();
    // `started`: open() asked S3 before this session's code had loaded (s3Multipart.ts).
    const done = started ? started.upload.then((upload) => void (this.#upload = checkUpload(upload))) : this.create(headers, controller.signal);
    // Seen by the parts that wait and by sync(); never an unhandled rejection.
    done.catch(() => undefined);
    this.#creating = { done, controller };
  }

  /** A new upload on S3. */
  async create(headers: HeaderRecord, signal: AbortSignal): Promise<void> {
    this.#etags.clear();
    this.#checksums.clear();
    this.#upload = undefined;
    const file = { ...this.#config.file, ...declaration(this.capabilities.checksum) };
    this.#upload = checkUpload(await this.#config.backend.createMultipartUpload(file, signal, headers));
  }

  /** Continue the upload a record names, or start afresh when S3 no longer knows it. */
  async resumeFrom(record: ResumeRecord, headers: HeaderRecord, signal: AbortSignal): Promise<void> {
    const { uploadId, key, partSize, checksumAlgorithm } = record.state ?? {};
    const size = Number(partSize);
    if (!uploadId || !key || !Number.isSafeInteger(size) || size < S3_LIMITS.minPartSize) return this.create(headers, signal);
    this.#partSize = size;
    this.#checksum = fromS3Name(checksumAlgorithm);
    this.#upload = { uploadId, key };
    await this.sync(headers, signal);
  }

  async sync(headers: HeaderRecord, signal: AbortSignal): Promise<void> {
    const creating = this.#creating;
    if (creating) {
      // A create begun before a pause or a failure: its upload, when S3 made one, is the one to
      // continue. A pause must not abort it (S3 may have made the upload already): only stop waiting,
      // and a later sync waits for the same create. A failed create is made afresh below.
      await waitFor(creating, signal, false).catch((error: unknown) => {
        if (signal.aborted) throw error;
      });
      if (this.#creating === creating) this.#creating = null;
    }
    const upload = this.#upload;
    if (!upload) return this.create(headers, signal);
    const parts = await this.#config.backend.listParts(upload, signal, headers);
    if (parts === null) return this.create(headers, signal);
    this.#etags.clear();
    this.#checksums.clear();
    const { size } = this.#config.file;
    for (const part of parts) {
      // A part of another grid (another part size) does not fit ours: it is sent again, which
      // overwrites it under the same number.
      const { start, end } = partRange(part.partNumber, this.#partSize, size);
      if (part.partNumber < 1 || start >= Math.max(size, 1) || part.size !== end - start) continue;
      this.#etags.set(part.partNumber, part.etag);
      if (part.checksum) this.#checksums.set(part.partNumber, part.checksum);
    }
  }

  async sendPart(part: PartRequest): Promise<PartResult> {
    const creating = this.#creating;
    if (creating) {
      // The create is a request of this part that carries none of its bytes: the engine limits the wait.
      part.onAwaitingAnswer?.();
      await waitFor(creating, part.creationSignal ?? part.signal, true);
      if (this.#creating === creating) this.#creating = null;
      // The record (key, upload id) is worth keeping before the part's bytes go.
      part.onResumePoint?.();
      if (part.signal.aborted) throw part.signal.reason;
    }
    const upload = this.#upload;
    if (!upload) throw new UploadError('protocol', 'S3: no multipart upload to send a part to');
    const partNumber = this.#partNumberOf(part);
    // Signing is a request of the part that carries none of its bytes: the engine limits the wait.
    part.onAwaitingAnswer?.();
    // Only the algorithm the upload was created with: S3 refuses a part checksummed otherwise.
    const checksum = partChecksum(part, this.capabilities.checksum);
    const request = checksum ? { ...upload, partNumber, checksum } : { ...upload, partNumber };
    const signed = await this.#config.backend.signPart(request, part.signal, part.headers);
    const etag = await putSigned(this.#config.http, signed, part, `part ${partNumber}`);
    this.#etags.set(partNumber, etag);
    if (checksum) this.#checksums.set(partNumber, checksum.value);
    else this.#checksums.delete(partNumber);
    return { acknowledged: part.end - part.start };
  }

  async complete(headers: HeaderRecord, signal: AbortSignal): Promise<UploadResult> {
    const upload = this.#upload;
    if (!upload) throw new UploadError('protocol', 'S3: no multipart upload to complete');
    const parts = [...this.#etags].sort(([a], [b]) => a - b).map(([partNumber, etag]) => {
      const checksum = this.#checksums.get(partNumber);
      return checksum === undefined ? { partNumber, etag } : { partNumber, etag, checksum };
    });
    const { location, etag } = await this.#config.backend.completeMultipartUpload({ ...upload, parts }, signal, headers);
    if (location) this.#location = location;
    return { key: upload.key, ...(location && { location }), ...(etag && { etag }) };
  }

  async terminate(headers: HeaderRecord, signal?: AbortSignal): Promise<void> {
    const creating = this.#creating;
    this.#creating = null;
    if (creating) await waitFor(creating, signal ?? new AbortController().signal, true).catch(() => undefined);
    const upload = this.#upload;
    if (!upload) return;
    const { backend } = this.#config;
    const stop = signal ?? new AbortController().signal;
    // A part that was in flight when the abort came may still be stored after it: S3's documentation
    // says to abort again until ListParts no longer knows the upload (seen on Swift too, once in ~20
    // loaded runs). A few rounds at most; an unreadable listing counts as done, as a failed abort does.
    for (let round = 0; round < 3; round++) {
      await backend.abortMultipartUpload(upload, stop, headers);
      if ((await backend.listParts(upload, stop, headers).catch(() => null)) === null) break;
    }
    this.#upload = undefined;
    this.#etags.clear();
    this.#checksums.clear();
  }

  #partNumberOf(part: PartRequest): number {
    const partNumber = partNumberAt(part.start, this.#partSize);
    const expected = partNumber === null ? null : partRange(partNumber, this.#partSize, this.#config.file.size);
    if (partNumber === null || expected?.end !== part.end) {
      // The engine cuts SHA-256'd parts to its pooled buffers (a CRC is read in pieces, any part size fits).
      throw new UploadError(
        'protocol',
        `S3: bytes [${part.start}, ${part.end}) are not one part of the ${this.#partSize}-byte grid (SHA-256 needs the uploader's partSize >= this grid's)`,
      );
    }
    return partNumber;
  }
}

/**
 * Wait for a begun create until `stop` aborts; with `abortCreate`, that also aborts the create itself
 * (rejecting every waiter): a part's creationSignal is destroy, offline or no answer in time.
 */
function waitFor(creating: { done: Promise<void>; controller: AbortController }, stop: AbortSignal, abortCreate: boolean): Promise<void> {
  let detach = (): void => {};
  const stopped = new Promise<never>((_, reject) => {
    detach = onAbort(stop, () => {
      if (abortCreate) creating.controller.abort(stop.reason);
      reject(stop.reason);
    });
  });
  return Promise.race([creating.done, stopped]).finally(detach);
}

function checkUpload(upload: S3Upload): S3Upload {
  if (typeof upload?.uploadId !== 'string' || typeof upload.key !== 'string' || !upload.uploadId || !upload.key) {
    throw new UploadError('protocol', 'S3: createMultipartUpload must give an uploadId and a key');
  }
  return { uploadId: upload.uploadId, key: upload.key };
}
