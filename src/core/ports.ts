/**
 * The narrow ports the engine depends on. Protocols and environments implement them;
 * nothing in src/core imports an implementation.
 */

import type { ChecksumAlgorithm } from './checksums/checksum.js';

export type { ChecksumAlgorithm };

/** Headers as a plain record; names are compared case-insensitively by implementations. */
export type HeaderRecord = Record<string, string>;

/** One HTTP request, as the engine and protocols describe it. */
export interface HttpRequest {
  method: string;
  url: string;
  headers: HeaderRecord;
  /**
   * A Blob body is streamed by the browser from its source (fast, no JS memory);
   * a Uint8Array body is copied into the request (slow, ~10x; only for transformed bytes).
   */
  body?: Blob | Uint8Array | null;
  /** Called with bytes of the body sent so far (XHR upload progress). */
  onUploadProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Case-insensitive header lookup; null when absent (or not exposed by CORS). */
  header(name: string): string | null;
  body: string;
}

/**
 * Sends one request. Resolves with any HTTP status (a 4xx/5xx is a response, not a throw);
 * rejects only when no response arrived: a network failure or the signal aborted.
 */
export interface HttpStack {
  send(request: HttpRequest): Promise<HttpResponse>;
}

/** What a protocol may persist to resume an upload later: URLs only, never bytes or credentials. */
export interface ResumeRecord {
  url: string;
  /** Extra protocol state that is not secret, e.g. an S3 upload id. */
  state?: Record<string, string>;
  createdAt: number;
  expiresAt: number;
}

/** Where resume records live (localStorage by default). Implementations may be sync or async. */
export interface UrlStorage {
  get(key: string): ResumeRecord | undefined | Promise<ResumeRecord | undefined>;
  set(key: string, record: ResumeRecord): void | Promise<void>;
  remove(key: string): void | Promise<void>;
  /** Every record with its key; lets an uploader list unfinished uploads after a reload. Optional. */
  list?(): Iterable<[string, ResumeRecord]> | Promise<Iterable<[string, ResumeRecord]>>;
}

/** Injected time, so retry, back-off and stall logic are tested without sleeping. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The facts about a file that a protocol may see. */
export interface UploadFileInfo {
  id: string;
  name: string;
  size: number;
  type: string;
  lastModified: number;
  /** Sent to the server (tus: Upload-Metadata). Always includes filename and filetype. */
  metadata: Record<string, string>;
}

/** A half-open byte range [start, end) of the file. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * How a session wants the file cut into parts, fixed when it opens:
 * - 'free': parts of every size up to `maxPartSize` (and at least `minPartSize`, except the last part); the
 *   engine chooses and adapts the size (tus).
 * - 'grid': part n covers [(n - 1) * partSize, n * partSize), the last one shorter (S3 multipart).
 * - 'whole': the whole file as one part (S3 PutObject).
 * A layout that cannot work with the uploader's options (hashed parts larger than the pooled
 * buffers) fails the file when it opens, with an error naming both.
 */
export type PartLayout =
  | { readonly kind: 'free'; readonly maxPartSize: number; readonly minPartSize?: number }
  | { readonly kind: 'grid'; readonly partSize: number }
  | { readonly kind: 'whole' };

/** What the protocol knows it can do once it has spoken to the server. */
export interface SessionCapabilities {
  /** The digest the server verifies per part (tus checksum extension; S3's additional checksums), or null. */
  checksum: ChecksumAlgorithm | null;
  /** How many parts of one file may be in flight at once (tus: 1; S3 multipart: many). */
  maxParallelParts: number;
  /** How parts are cut. */
  layout: PartLayout;
}

/** One part to send. */
export interface PartRequest extends ByteRange {
  /** Bytes of the part: a lazy slice of the file, which the browser streams from its source. */
  body: Blob;
  /** SHA-256 digest of the part's bytes, when it was hashed with SHA-256 (also in `checksum`). */
  sha256?: Uint8Array;
  /** The part's digest (raw bytes; CRCs big-endian), when parts are hashed. */
  checksum?: { algorithm: ChecksumAlgorithm; value: Uint8Array };
  /** True when this part ends the file. */
  last: boolean;
  headers: HeaderRecord;
  signal: AbortSignal;
  /**
   * For a request that creates the upload on the server (tus: the creating POST). Unlike `signal` it
   * is not aborted by a pause or cancel, only by destroy(), going offline, or no answer in time: once
   * sent, the server makes the upload whatever the page does, so the session must learn its URL
   * (a cancel then deletes it, a resume continues it) instead of leaving an upload nobody knows.
   */
  creationSignal?: AbortSignal;
  onUploadProgress(loaded: number): void;
  /**
   * The protocol sent a request for this part that carries none of its bytes (tus: the creating
   * POST before the PATCH) and now waits for the answer. No progress event will come for it, so
   * this is the engine's cue to start the responseTimeout wait, as after a fully sent body.
   */
  onAwaitingAnswer?(): void;
  /**
   * The session has just created the upload on the server while sending this part (tus: the creating
   * POST was answered): its resumeRecord() is worth keeping now, before the part's bytes go, so a
   * reload during a long first part resumes instead of starting over.
   */
  onResumePoint?(): void;
}

export interface PartResult {
  /** How many bytes from `start` the server acknowledged (tus may accept fewer than sent). */
  acknowledged: number;
}

export interface OpenRequest {
  file: UploadFileInfo;
  /** A record saved by an earlier upload of the same file, if any. */
  resume?: ResumeRecord;
  headers: HeaderRecord;
  signal: AbortSignal;
  /**
   * The uploader's checksum option, for a protocol that must declare the algorithm before any part
   * (S3: CreateMultipartUpload). 'auto' (or absent): the protocol's own choice; false: none.
   */
  checksum?: 'auto' | ChecksumAlgorithm | false;
}

/**
 * One upload of one file on the server. The engine asks which ranges the server holds,
 * sends the missing ones as parts (in parallel up to maxParallelParts), then completes.
 */
export interface ProtocolSession {
  readonly capabilities: SessionCapabilities;
  /** Ranges the server already holds, sorted and disjoint. */
  readonly uploaded: readonly ByteRange[];
  /** What to persist for resume, once the server has created the upload. */
  resumeRecord(): Omit<ResumeRecord, 'createdAt' | 'expiresAt'> & { expiresAt?: number } | undefined;
  sendPart(part: PartRequest): Promise<PartResult>;
  /** After a failure: ask the server what it holds now (tus: HEAD). Updates `uploaded`. */
  sync(headers: HeaderRecord, signal: AbortSignal): Promise<void>;
  /**
   * All bytes are acknowledged: finish (S3: CompleteMultipartUpload; tus: nothing). May give what the
   * server returned (onSuccess, the file's `done` and snapshot `result`); void means just the upload URL.
   */
  complete(headers: HeaderRecord, signal: AbortSignal): Promise<void | UploadResult>;
  /**
   * Cancel: delete the upload on the server. Called for every opened session: one that created
   * nothing returns at once; one whose creating request is still under way waits for it, then deletes.
   * The engine aborts `signal` when no answer came within responseTimeout, so a server that never
   * answers cannot hold a cancel open.
   */
  terminate(headers: HeaderRecord, signal?: AbortSignal): Promise<void>;
}

export interface Protocol {
  readonly name: string;
  /** Identifies the destination for resume keys; query strings are dropped by the engine. */
  readonly endpoint: string;
  /**
   * Start or resume an upload. May defer creating it on the server until the first part
   * (tus creation-with-upload sends a small file in one request).
   */
  open(request: OpenRequest): Promise<ProtocolSession>;
  /**
   * Optional: start loading the code open() needs (a session class kept in a chunk of its own) and
   * return at once. The engine calls it when a file is added, so open() rarely waits for a download.
   */
  preload?(): void;
  /**
   * Optional: the algorithm the uploader's checksum 'auto' resolves to for every file, known before
   * any server answers (S3 multipart: its checksumAlgorithm). The engine then loads the hashing code and
   * starts the hash worker when a file is added, beside preload(), instead of on the first part's hash
   * (on a 40 ms link: a round trip, often with a handshake, before the first part). Leave it out when
   * the algorithm depends on the server (tus reads it from OPTIONS) or 'auto' hashes nothing: an upload
   * that will not hash must load none of it.
   */
  readonly autoChecksum?: ChecksumAlgorithm;
}

/**
 * What the server returned for a finished upload, protocol-neutral: tus gives the upload `url`;
 * S3 the object's `location`, `key` and `etag` (as far as the backend reports them).
 */
export interface UploadResult {
  url?: string;
  location?: string;
  key?: string;
  etag?: string;
}
