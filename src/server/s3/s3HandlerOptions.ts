import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3HandlerRequest } from './adapters.js';

export type { S3HandlerRequest };

/** The S3 calls a page may ask for on an existing key (what `mayAccess` is told). */
export type S3Action = 'signPart' | 'listParts' | 'complete' | 'abort' | 'signPut';

/** What `authorize` sees: the incoming request and what the page says about the file. */
export interface S3AuthorizeInput {
  request: S3HandlerRequest;
  filename: string;
  size: number;
  type: string;
  metadata: Record<string, string>;
  /** 'multipart' for CreateMultipartUpload, 'object' for a single presigned PutObject. */
  kind: 'multipart' | 'object';
}

/** The key the file gets, and extra S3 metadata (the original name is always kept, as `filename`). */
export interface S3AuthorizeResult {
  key: string;
  metadata?: Record<string, string>;
}

/** A later call on an existing key: may this caller touch it? */
export interface S3AccessInput {
  request: S3HandlerRequest;
  action: S3Action;
  key: string;
  /** Absent for a single PutObject signed again for its key. */
  uploadId?: string;
}

export interface S3HandlerOptions {
  bucket: string;
  /** An S3 client of the app's, or the config of one. A config gets `requestChecksumCalculation` and
   * `responseChecksumValidation` 'WHEN_REQUIRED' (non-AWS engines need them) unless it says otherwise. */
  client?: S3Client;
  s3?: S3ClientConfig;
  /**
   * Presigns the URLs the page PUTs to, when the browser reaches S3 at another address than this
   * server does (a public endpoint in front of an internal one, a gateway, a test proxy): the URLs
   * name this client's endpoint, while create, list, complete and abort go through `client`.
   * Default: `client`.
   */
  signingClient?: S3Client;
  /** Path prefix the routes live under, e.g. '/s3' or '/api/s3'. Express: the path given to app.use is
   * already stripped, so leave this out there. Default ''. */
  route?: string;
  /** Per new upload: who may upload what, and under which key. `false` refuses (403); throw an
   * S3HandlerError to refuse with your own status. */
  authorize(input: S3AuthorizeInput): S3AuthorizeResult | false | Promise<S3AuthorizeResult | false>;
  /** Per later call (sign a part, list, complete, abort, sign a PutObject again): may this caller touch
   * this key? The page names the key and upload id, so this check is what keeps one user off another's. */
  mayAccess(input: S3AccessInput): boolean | Promise<boolean>;
  /** Lifetime of a presigned URL in seconds. Default 900. */
  expiresIn?: number;
  /** MaxParts per ListParts page; the handler pages until the end. Default 1000 (S3's maximum). */
  listPartsPageSize?: number;
  /**
   * Pass the parts' checksums (sent by the page) to CompleteMultipartUpload. AWS requires them for an
   * upload created with a checksum algorithm; engines whose S3 API predates additional checksums refuse
   * them as MalformedXML (OpenStack Swift 2.30's s3api), so set false there. Default true.
   */
  completeWithPartChecksums?: boolean;
  /** Told of every failure answered 500 or 502 (the page sees only a short message), e.g. to log it. */
  onError?(error: unknown, request: S3HandlerRequest): void;
}
