import type { HeaderRecord, HttpStack, UploadFileInfo } from '../../core/ports.js';

/** One multipart upload on S3: the object key and the upload id S3 gave it. Not secret. */
export interface S3Upload {
  uploadId: string;
  key: string;
}

/** A part S3 holds, as ListParts reports it. */
export interface S3Part {
  partNumber: number;
  size: number;
  etag: string;
}

/** A presigned request for one part: PUT the part's bytes to `url` with `headers`. */
export interface S3SignedPart {
  url: string;
  /** Headers the signature covers (sent as they are, and nothing else but the body). */
  headers?: HeaderRecord;
}

/** A presigned PutObject for a whole file: PUT its bytes to `url` with `headers`; the object is `key`. */
export interface S3SignedPut extends S3SignedPart {
  key: string;
}

/**
 * The calls only the app's backend can make, since they need the S3 credentials. Each gets the
 * abort signal of the attempt and the uploader's `headers` (e.g. the app's own Authorization).
 */
export interface S3MultipartBackend {
  createMultipartUpload(file: UploadFileInfo, signal: AbortSignal, headers: HeaderRecord): Promise<S3Upload>;
  signPart(part: S3Upload & { partNumber: number }, signal: AbortSignal, headers: HeaderRecord): Promise<S3SignedPart>;
  /** The parts S3 holds; null when S3 no longer knows the upload (NoSuchUpload): it starts afresh. */
  listParts(upload: S3Upload, signal: AbortSignal, headers: HeaderRecord): Promise<readonly S3Part[] | null>;
  completeMultipartUpload(
    upload: S3Upload & { parts: readonly { partNumber: number; etag: string }[] },
    signal: AbortSignal,
    headers: HeaderRecord,
  ): Promise<{ location?: string; etag?: string }>;
  abortMultipartUpload(upload: S3Upload, signal: AbortSignal, headers: HeaderRecord): Promise<void>;
  /**
   * A presigned PutObject for a file below `multipartThreshold`, sent in one PUT. `key` is absent on the
   * first signing and, on a retry, the key the first one chose: sign the same key (after checking it is
   * this user's), so a PUT that landed unseen is overwritten, not left behind. Without this call every
   * file goes multipart.
   */
  signPut?(file: UploadFileInfo & { key?: string }, signal: AbortSignal, headers: HeaderRecord): Promise<S3SignedPut>;
}

export interface S3MultipartCommonOptions {
  /** Sends the parts (and, with `endpoint`, the backend calls). Default: XMLHttpRequest. */
  http?: HttpStack;
  /**
   * Preferred part size in bytes. The size used is fixed per upload, from the file size: at least
   * this, at least 5 MiB, and large enough for 10,000 parts. Default 8 MiB (the uploader's chunkSize).
   */
  partSize?: number;
  /** Parts of one file in flight at once. Default 4. */
  maxParallelParts?: number;
  /**
   * Files smaller than this (and empty files) go up as one presigned PutObject: 2 requests (sign, PUT)
   * instead of at least 4 and a multipart upload on S3. Default: the part size (at least 5 MiB), since a
   * file below it would be a single part anyway, so multipart buys it neither parallel parts nor a
   * resume point. Capped at 5 GiB, S3's largest PutObject.
   */
  multipartThreshold?: number;
}

/** The backend calls as JSON requests to the app's server (routes in the README). */
export interface S3MultipartEndpointOptions extends S3MultipartCommonOptions {
  /** Base URL of the backend's JSON API, e.g. '/s3'. */
  endpoint: string;
}

/** The backend calls supplied by the app. */
export interface S3MultipartCallbackOptions extends S3MultipartCommonOptions, S3MultipartBackend {
  /** Names the destination in resume keys. Default 's3-multipart'. */
  endpoint?: string;
}

export type S3MultipartOptions = S3MultipartEndpointOptions | S3MultipartCallbackOptions;
