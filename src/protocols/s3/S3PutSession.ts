import type {
  ByteRange,
  ChecksumAlgorithm,
  HttpStack,
  PartRequest,
  PartResult,
  ProtocolSession,
  ResumeRecord,
  SessionCapabilities,
  UploadFileInfo,
} from '../../core/ports.js';
import { UploadError } from '../../core/UploadError.js';
import { withoutQuery } from '../../core/urls.js';
import { putSigned } from './putSigned.js';
import type { UploadResult } from '../../core/ports.js';
import { partChecksum } from './s3Checksum.js';
import type { S3Checksum, S3SignedPut } from './s3Types.js';

export interface S3PutSessionConfig {
  signPut: (file: UploadFileInfo & { key?: string; checksum?: S3Checksum }, signal: AbortSignal, headers: PartRequest['headers']) => Promise<S3SignedPut>;
  http: HttpStack;
  file: UploadFileInfo;
  /** The checksum the PUT carries, or null. */
  checksum: ChecksumAlgorithm | null;
}

/**
 * A small (or empty) file as one presigned PutObject: nothing exists on S3 until that PUT lands, so
 * there is nothing to resume, list, complete or abort; a failed PUT is retried with a fresh signature.
 */
export class S3PutSession implements ProtocolSession {
  readonly capabilities: SessionCapabilities;
  readonly #config: S3PutSessionConfig;
  /** The key the first signature chose: a retry asks for the same object, not a second one. */
  #key: string | undefined;
  #location: string | undefined;
  #etag: string | undefined;

  constructor(config: S3PutSessionConfig) {
    this.#config = config;
    // One part of exactly the file: the engine then hands over the File itself, in one request.
    this.capabilities = { checksum: config.checksum, maxParallelParts: 1, layout: { kind: 'whole' } };
  }

  get uploaded(): readonly ByteRange[] {
    return this.#location === undefined ? [] : [{ start: 0, end: this.#config.file.size }];
  }

  /** None while the PUT is pending (one request has no resume point); the object's URL once stored. */
  resumeRecord(): Omit<ResumeRecord, 'createdAt' | 'expiresAt'> | undefined {
    return this.#location === undefined ? undefined : { url: this.#location };
  }

  async sendPart(part: PartRequest): Promise<PartResult> {
    const { file } = this.#config;
    if (part.start !== 0 || part.end !== file.size) {
      // Only forced hashing cuts parts smaller than the session asks for (to the pooled buffers).
      throw new UploadError('protocol', `S3: bytes [${part.start}, ${part.end}) are not the whole file of ${file.size} bytes, which goes up in one PUT (SHA-256 needs partSize >= multipartThreshold)`);
    }
    // Signing is a request of the part that carries none of its bytes: the engine limits the wait.
    part.onAwaitingAnswer?.();
    // Any algorithm: a PutObject declares its own (a forced one as well as the session's).
    const checksum = partChecksum(part);
    const request = { ...file, ...(this.#key === undefined ? {} : { key: this.#key }), ...(checksum ? { checksum } : {}) };
    const signed = checkSigned(await this.#config.signPut(request, part.signal, part.headers));
    this.#key = signed.key;
    this.#etag = await putSigned(this.#config.http, signed, part, 'object');
    this.#location = withoutQuery(signed.url);
    return { acknowledged: part.end - part.start };
  }

  /** S3 holds the object or nothing: there is no server state to ask about. */
  async sync(): Promise<void> {}

  /** The PUT stored the object. */
  async complete(): Promise<UploadResult> {
    return { ...(this.#key && { key: this.#key }), ...(this.#location && { location: this.#location }), ...(this.#etag && { etag: this.#etag }) };
  }

  /** Nothing on S3 to abort: the engine aborts a PUT in flight, and S3 keeps no partial object. */
  async terminate(): Promise<void> {}
}

function checkSigned(signed: S3SignedPut): S3SignedPut {
  if (typeof signed?.url !== 'string' || typeof signed.key !== 'string' || !signed.url || !signed.key) {
    throw new UploadError('protocol', 'S3: signPut must give a url and a key');
  }
  return signed;
}
