import type {
  ByteRange,
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
import { UploadError } from '../../core/UploadError.js';
import { partNumberAt, partRange, S3_LIMITS } from './partGrid.js';
import { putSigned } from './putSigned.js';
import type { S3MultipartBackend, S3Upload } from './s3Types.js';

export interface S3SessionConfig {
  backend: S3MultipartBackend;
  http: HttpStack;
  file: UploadFileInfo;
  partSize: number;
  maxParallelParts: number;
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

  constructor(config: S3SessionConfig) {
    this.#config = config;
    this.#partSize = config.partSize;
  }

  /** The grid is fixed once open() returns: resumeFrom (during open) may take a record's part size. */
  get capabilities(): SessionCapabilities {
    return { checksum: null, maxParallelParts: this.#config.maxParallelParts, layout: { kind: 'grid', partSize: this.#partSize } };
  }

  get uploaded(): readonly ByteRange[] {
    const { size } = this.#config.file;
    return mergeRanges([...this.#etags.keys()].map((n) => partRange(n, this.#partSize, size)));
  }

  resumeRecord(): Omit<ResumeRecord, 'createdAt' | 'expiresAt'> | undefined {
    const upload = this.#upload;
    if (!upload) return undefined;
    const state = { uploadId: upload.uploadId, key: upload.key, partSize: String(this.#partSize) };
    return { url: this.#location ?? `s3:${upload.key}`, state };
  }

  /** A new upload on S3. */
  async create(headers: HeaderRecord, signal: AbortSignal): Promise<void> {
    this.#etags.clear();
    this.#upload = undefined;
    this.#upload = checkUpload(await this.#config.backend.createMultipartUpload(this.#config.file, signal, headers));
  }

  /** Continue the upload a record names, or start afresh when S3 no longer knows it. */
  async resumeFrom(record: ResumeRecord, headers: HeaderRecord, signal: AbortSignal): Promise<void> {
    const { uploadId, key, partSize } = record.state ?? {};
    const size = Number(partSize);
    if (!uploadId || !key || !Number.isSafeInteger(size) || size < S3_LIMITS.minPartSize) return this.create(headers, signal);
    this.#partSize = size;
    this.#upload = { uploadId, key };
    await this.sync(headers, signal);
  }

  async sync(headers: HeaderRecord, signal: AbortSignal): Promise<void> {
    const upload = this.#upload;
    if (!upload) return this.create(headers, signal);
    const parts = await this.#config.backend.listParts(upload, signal, headers);
    if (parts === null) return this.create(headers, signal);
    this.#etags.clear();
    const { size } = this.#config.file;
    for (const part of parts) {
      // A part of another grid (another part size) does not fit ours: it is sent again, which
      // overwrites it under the same number.
      const { start, end } = partRange(part.partNumber, this.#partSize, size);
      if (part.partNumber >= 1 && start < Math.max(size, 1) && part.size === end - start) this.#etags.set(part.partNumber, part.etag);
    }
  }

  async sendPart(part: PartRequest): Promise<PartResult> {
    const upload = this.#upload;
    if (!upload) throw new UploadError('protocol', 'S3: no multipart upload to send a part to');
    const partNumber = this.#partNumberOf(part);
    // Signing is a request of the part that carries none of its bytes: the engine limits the wait.
    part.onAwaitingAnswer?.();
    const signed = await this.#config.backend.signPart({ ...upload, partNumber }, part.signal, part.headers);
    const etag = await putSigned(this.#config.http, signed, part, `part ${partNumber}`);
    this.#etags.set(partNumber, etag);
    return { acknowledged: part.end - part.start };
  }

  async complete(headers: HeaderRecord, signal: AbortSignal): Promise<void> {
    const upload = this.#upload;
    if (!upload) throw new UploadError('protocol', 'S3: no multipart upload to complete');
    const parts = [...this.#etags].sort(([a], [b]) => a - b).map(([partNumber, etag]) => ({ partNumber, etag }));
    const { location } = await this.#config.backend.completeMultipartUpload({ ...upload, parts }, signal, headers);
    if (location) this.#location = location;
  }

  async terminate(headers: HeaderRecord, signal?: AbortSignal): Promise<void> {
    const upload = this.#upload;
    if (!upload) return;
    await this.#config.backend.abortMultipartUpload(upload, signal ?? new AbortController().signal, headers);
    this.#upload = undefined;
    this.#etags.clear();
  }

  #partNumberOf(part: PartRequest): number {
    const partNumber = partNumberAt(part.start, this.#partSize);
    const expected = partNumber === null ? null : partRange(partNumber, this.#partSize, this.#config.file.size);
    if (partNumber === null || expected?.end !== part.end) {
      // The engine cuts hashed parts to its pooled buffers: a grid larger than chunkSize cannot be hashed.
      throw new UploadError(
        'protocol',
        `S3: bytes [${part.start}, ${part.end}) are not one part of the ${this.#partSize}-byte grid (hashing needs chunkSize >= partSize)`,
      );
    }
    return partNumber;
  }
}

function checkUpload(upload: S3Upload): S3Upload {
  if (typeof upload?.uploadId !== 'string' || typeof upload.key !== 'string' || !upload.uploadId || !upload.key) {
    throw new UploadError('protocol', 'S3: createMultipartUpload must give an uploadId and a key');
  }
  return { uploadId: upload.uploadId, key: upload.key };
}
