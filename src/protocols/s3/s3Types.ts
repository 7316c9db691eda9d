import type { ChecksumAlgorithm, HeaderRecord, HttpStack, UploadFileInfo } from '../../core/ports.js';

/** S3's names of its additional checksums (x-amz-checksum-algorithm, ChecksumAlgorithm in the SDK). */
export type S3ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA256';

/**
 * A part's (or a single PUT's) checksum, computed in the browser from the bytes it sends: sign it into
 * the request (SDK: ChecksumCRC32C etc. on UploadPart/PutObject, header x-amz-checksum-crc32c), and S3
 * refuses the bytes (400 BadDigest) when they differ.
 */
export interface S3Checksum {
  algorithm: S3ChecksumAlgorithm;
  /** Base64 of the digest (CRCs big-endian), as the x-amz-checksum-* header carries it. */
  value: string;
}

/** What the multipart upload is created with: its checksum algorithm, and for CRC64NVME its type. */
export interface S3ChecksumDeclaration {
  checksumAlgorithm?: S3ChecksumAlgorithm;
  /** S3 supports CRC64NVME only as FULL_OBJECT; absent means S3's default (COMPOSITE). */
  checksumType?: 'COMPOSITE' | 'FULL_OBJECT';
}

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
  /** The part's checksum (base64) S3 holds, when the upload has an algorithm. */
  checksum?: string;
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
  createMultipartUpload(file: UploadFileInfo & S3ChecksumDeclaration, signal: AbortSignal, headers: HeaderRecord): Promise<S3Upload>;
  /** With `checksum`, sign it into the request (and return its header in `headers`). */
  signPart(part: S3Upload & { partNumber: number; checksum?: S3Checksum }, signal: AbortSignal, headers: HeaderRecord): Promise<S3SignedPart>;
  /** The parts S3 holds; null when S3 no longer knows the upload (NoSuchUpload): it starts afresh. */
  listParts(upload: S3Upload, signal: AbortSignal, headers: HeaderRecord): Promise<readonly S3Part[] | null>;
  completeMultipartUpload(
    upload: S3Upload & { parts: readonly { partNumber: number; etag: string; checksum?: string }[] },
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
  signPut?(file: UploadFileInfo & { key?: string; checksum?: S3Checksum }, signal: AbortSignal, headers: HeaderRecord): Promise<S3SignedPut>;
}

export interface S3MultipartCommonOptions {
  /** Sends the parts (and, with `endpoint`, the backend calls). Default: XMLHttpRequest. */
  http?: HttpStack;
  /**
   * Preferred part size in bytes. The size used is fixed per upload, from the file size: at least
   * this, at least 5 MiB, and large enough for 10,000 parts. Default 8 MiB (the uploader's partSize).
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
  /**
   * The checksum each part and each single PUT carries in its signed request, computed from pooled
   * buffers in the hash worker (when the uploader's `checksum` is 'auto'; an algorithm there wins).
   * Default 'crc32c': in Chromium it costs ~0.55 s of CPU per GiB against ~1.1 s for SHA-256 through
   * SubtleCrypto (test/bench/probeChecksums.mjs), and S3 can combine it into a full-object checksum.
   * false: none (the pool then reads nothing on S3).
   */
  checksumAlgorithm?: ChecksumAlgorithm | false;
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
