import type { ChecksumAlgorithm, Clock, HeaderRecord, Protocol, UploadResult, UrlStorage } from './ports.js';
import type { OnlineSource } from './onlineGate.js';
import type { UploadError } from './UploadError.js';
import type { UploadLocks } from './UploadLock.js';
import type { FileHandleLike, HandleStore } from './handleStore.js';

export type FileStatus =
  /** Waiting for onBeforeFileAdded or restrictions.validate to answer. */
  | 'checking'
  | 'queued'
  | 'uploading'
  | 'paused'
  | 'completed'
  | 'failed'
  | 'canceled'
  | 'rejected';

/** A rule a file broke; rejections are data, not exceptions. */
export type RestrictionCode =
  | 'file-too-large'
  | 'file-too-small'
  | 'too-many-files'
  | 'file-type-not-accepted'
  | 'total-too-large'
  /** restrictions.validate returned a reason. */
  | 'invalid-file'
  /** onBeforeFileAdded returned false or a reason. */
  | 'refused';

/** What a rejection's message is built from, so a UI can word it in its own language. */
export interface RejectionParams {
  readonly name: string;
  /** Bytes: the file's size (or the total it would bring) that broke a size rule. */
  readonly size?: number;
  /** Bytes: the size limit that was broken. */
  readonly limit?: number;
  /** A count: the maxFiles limit. */
  readonly n?: number;
  readonly accepted?: readonly string[];
  /** The app's own words, from validate or onBeforeFileAdded. */
  readonly reason?: string;
}

export interface Rejection {
  code: RestrictionCode;
  /** In English; a UI in another language words it again from code and params. */
  message: string;
  params: RejectionParams;
}

/** What onBeforeFileAdded answers: false or a reason refuses the file; name and metadata change it. */
export type BeforeFileAdded = false | { reason: string } | { name?: string; metadata?: Record<string, string> } | null | undefined | void;

export interface Restrictions {
  maxFileSize?: number;
  minFileSize?: number;
  /** Files held at once (not counting canceled ones). */
  maxFiles?: number;
  /** MIME types ('image/*', 'application/pdf') or extensions ('.pdf'). */
  accept?: readonly string[];
  /** Bytes of all files held at once (not counting canceled or rejected ones). */
  maxTotalSize?: number;
  /** Uploads start only once this many files are held; a UI explains what is missing. */
  minFiles?: number;
  /** The app's own rule, after the others: a reason refuses the file (shown as its message). */
  validate?: (file: File) => string | null | undefined | Promise<string | null | undefined>;
}

export interface RetryOptions {
  /** Attempts after the first failure before giving up; reset whenever bytes are acknowledged. */
  maxRetries?: number;
  /** Fixed delays in ms, one per retry; when given, replaces the exponential schedule. */
  delays?: readonly number[];
  /** First exponential delay in ms (doubled per retry). */
  baseDelay?: number;
  maxDelay?: number;
  /** 0..1: how much of each delay is randomised (full jitter at 1). */
  jitter?: number;
  /** Decide whether an error is worth another attempt. */
  shouldRetry?: (error: UploadError, attempt: number) => boolean;
}

/** Where a byte stage may change bytes (compression, encryption). Not used by default. */
export type ChecksumOption = 'auto' | ChecksumAlgorithm | false;

/** What a `headers` function is told. */
export interface HeadersContext {
  /**
   * True when the server refused the previous request's credentials (401 or 403): fetch a fresh
   * token rather than a cached one. The request is retried once with what you return; a second
   * refusal fails the file with code 'unauthorized'.
   */
  refused: boolean;
}

/**
 * Something an upload survived that the user may want to know; the upload goes on. 'rewound': the
 * server held fewer bytes than it had acknowledged (it lost a tail, e.g. in a restart), so they are sent
 * again from its offset. 'restarted': the server no longer had the upload (expired or deleted), so it
 * started afresh. A code, not a sentence, so a UI words it in its own language.
 */
export type FileNotice = 'rewound' | 'restarted';

export interface UploaderOptions extends UploaderEvents {
  protocol: Protocol;
  /** Upper bound on bytes the library holds in memory for file contents. Default 64 MiB. */
  memoryBudget?: number;
  /** First part size; grows with measured throughput when bytes are not read. Default 8 MiB. */
  partSize?: number;
  /** Largest part size adaptive sizing may reach. Default 256 MiB. */
  maxPartSize?: number;
  /**
   * 'auto': hash when the server verifies, with the algorithm it verifies; an algorithm: always hash
   * with it (sent where the protocol can carry it); false: never. Default 'auto'.
   */
  checksum?: ChecksumOption;
  /** Files uploading at once. Default 6 (browsers open at most 6 connections per origin over HTTP/1.1). */
  concurrency?: number;
  retry?: RetryOptions;
  /** Abort a request, or a read of the file, when no byte moved for this long, in ms. Default 30000. */
  stallTimeout?: number;
  /**
   * Give up on a server that does not answer for this long, in ms (error code 'timeout', retried):
   * a part whose body was fully sent, and every other protocol call (discovery, creation, resume,
   * completion, and the cancel's termination, which then finishes locally). Longer than the usual gateway timeout (60 s), so a proxy's 504 arrives
   * first when there is one. Infinity waits forever. Default 120000.
   */
  responseTimeout?: number;
  restrictions?: Restrictions;
  /** Remember upload URLs to resume after reload (URLs only). true = localStorage. Default true. */
  resume?: boolean | UrlStorage;
  /**
   * Keep the file handles of files added with addHandles() (IndexedDB; handles only, never bytes), so
   * a restored upload resumes with one click. true = IndexedDB where there is one. Default true.
   */
  fileHandles?: boolean | HandleStore;
  /** How long a resume record is kept when the server sends no Upload-Expires, ms. Default 7 days. */
  resumeTtl?: number;
  /** Headers for every request, e.g. Authorization; called before each request. */
  headers?: HeaderRecord | ((context: HeadersContext) => HeaderRecord | Promise<HeaderRecord>);
  /** Extra metadata per file sent to the server. */
  metadata?: (file: File) => Record<string, string>;
  /**
   * Called for each file that passed the restrictions, before it joins the queue (it shows as
   * 'checking' meanwhile): refuse it (false or { reason }), or set its name and metadata.
   */
  onBeforeFileAdded?: (file: File) => BeforeFileAdded | Promise<BeforeFileAdded>;
  /** Start uploads as soon as files are added. Default true. */
  autoStart?: boolean;
  /** Idle pooled buffers are freed after this long without a lease, ms. Default 5000. */
  poolIdleTimeout?: number;
  /** Progress notifications are coalesced to at most one per this many ms. Default 100. */
  progressInterval?: number;
  clock?: Clock;
  /** For jitter; injectable for tests. */
  random?: () => number;
  /** Whether the browser has a network; default navigator.onLine and its events. Injectable for tests. */
  online?: OnlineSource;
  /** Web Locks, so only one tab sends a server upload; default navigator.locks, null for none. */
  locks?: UploadLocks | null;
}

export interface FileSnapshot {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly status: FileStatus;
  /** Bytes handed to the network, including bytes not yet acknowledged. */
  readonly bytesSent: number;
  /** Bytes the server confirmed it holds. */
  readonly bytesAcknowledged: number;
  /** bytesAcknowledged / size, 0..1 (1 for a completed empty file). */
  readonly progress: number;
  /** Smoothed bytes per second, 0 when not uploading. */
  readonly speed: number;
  /** Seconds left at the current speed; null when unknown. */
  readonly eta: number | null;
  /** Retries since the last acknowledged progress. */
  readonly attempt: number;
  /** Set when status is 'failed' or 'rejected'. */
  readonly error: UploadError | null;
  /** Set when status is 'rejected'. */
  readonly rejection: Rejection | null;
  /** The upload URL on the server, once known. */
  readonly url: string | null;
  /** True when this upload continued one started earlier (resume). */
  readonly resumed: boolean;
  /** The last thing this upload survived (the server lost bytes, or the upload), or null. */
  readonly notice: FileNotice | null;
  /** Per-file metadata set by onBeforeFileAdded (sent to the server with the options' metadata). */
  readonly metadata: Readonly<Record<string, string>>;
  /**
   * Why the file sends nothing: uploading while the browser is offline or another tab owns this upload;
   * 'start' for a queued file that waits for start() (autoStart off), not for a free slot.
   */
  readonly waiting: UploadWaiting;
  /** The file itself, for previews and custom layouts; null for a restored entry (no file chosen yet). */
  readonly file: File | null;
  /** What the server returned once completed (tus: url; S3: location, key, etag); else null. */
  readonly result: UploadResult | null;
  /**
   * An unfinished upload listed from an earlier page (status 'paused'): 'choose-file' until the user
   * adds the same file again; 'reopen' when a kept file handle lets resume(id) continue it after the
   * browser's permission prompt. remove(id) or cancel(id) discard it and end it on the server. Else null.
   */
  readonly restored: 'choose-file' | 'reopen' | null;
}

export type UploadWaiting = 'offline' | 'other-tab' | 'start' | null;

export interface Totals {
  readonly files: number;
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
  readonly bytesTotal: number;
  readonly bytesSent: number;
  readonly bytesAcknowledged: number;
  readonly progress: number;
  readonly speed: number;
  readonly eta: number | null;
  /** How many more files restrictions.minFiles needs before uploads may start; 0 when none. */
  readonly filesNeeded: number;
}

export interface MemorySnapshot {
  readonly budgetBytes: number;
  /** Pooled bytes leased now plus request bodies built from pooled bytes. */
  readonly inFlightBytes: number;
  readonly peakInFlightBytes: number;
  /** Bytes of all ArrayBuffers the pool holds (leased and idle). */
  readonly pooledBytes: number;
  readonly bufferSize: number;
  readonly leasedBuffers: number;
  readonly idleBuffers: number;
  readonly buffersCreated: number;
  readonly buffersReused: number;
  readonly buffersReleased: number;
  readonly buffersFreed: number;
  /** Leases garbage-collected without release. */
  readonly leaksDetected: number;
}

export interface UploadSnapshot {
  readonly files: readonly FileSnapshot[];
  readonly totals: Totals;
  readonly memory: MemorySnapshot;
}

export interface AddResult {
  readonly accepted: readonly string[];
  readonly rejected: readonly { id: string; name: string; rejection: Rejection }[];
  /**
   * Files 'checking' while onBeforeFileAdded or validate answer: neither accepted nor rejected yet.
   * Each then turns 'queued' or 'rejected' in the snapshot.
   */
  readonly pending: readonly string[];
  /** One handle per file, accepted or rejected, in the order given. */
  readonly files: readonly FileHandle[];
}

export type ConfigurableOption =
  | 'restrictions'
  | 'concurrency'
  | 'headers'
  | 'metadata'
  | 'retry'
  | 'stallTimeout'
  | 'responseTimeout'
  | 'autoStart'
  | 'onBeforeFileAdded'
  | keyof UploaderEvents;

/** The framework-agnostic engine the React hook adapts. */
export interface Uploader {
  add(files: Iterable<File> | ArrayLike<File>): AddResult;
  /** Start queued files (when autoStart is false). */
  start(id?: string): void;
  pause(id?: string): void;
  resume(id?: string): void;
  /** Abort, terminate the server upload, return every buffer. */
  cancel(id?: string): Promise<void>;
  retry(id?: string): void;
  /**
   * Remove a file from the list; a checking, queued or paused one is canceled first (one step); a restored
   * entry is discarded. Without an id, like the other actions, every file: all but the uploading ones.
   */
  remove(id?: string): void;
  /**
   * List this endpoint's unfinished uploads of earlier pages (from the resume records, with the bytes
   * the server holds) as restored entries. Adding the same file again continues one.
   */
  restore(): Promise<void>;
  /** Add files from File System Access handles, kept so a reload can resume them with one click. */
  addHandles(handles: Iterable<FileHandleLike>): Promise<AddResult>;
  /** Change options that may change while running (restrictions, concurrency, headers, retry...). */
  configure(options: Partial<Pick<UploaderOptions, ConfigurableOption>>): void;
  subscribe(listener: () => void): () => void;
  getSnapshot(): UploadSnapshot;
  /** Abort everything, clear timers, free the pool. The uploader is unusable afterwards. */
  destroy(): void;
}

/**
 * How a file's `done` promise settles. A canceled file resolves (cancellation is not a failure);
 * a failed or rejected file rejects with its UploadError.
 */
export type FileOutcome =
  | { readonly status: 'completed'; readonly file: FileSnapshot; readonly result: UploadResult }
  | { readonly status: 'canceled'; readonly file: FileSnapshot };

/** One added file, returned by add(). */
export interface FileHandle {
  readonly id: string;
  readonly file: File;
  /**
   * Settles once, at the file's first end: resolves when it completed or was canceled; rejects when
   * it was rejected, failed (after its retries), or the uploader was destroyed first. A later
   * retry() of a failed file is reported by onSuccess/onError and the snapshot, not by this promise.
   */
  readonly done: Promise<FileOutcome>;
}

/** The files that ended since the last onComplete, called when nothing is left running or waiting to run. */
export interface BatchSummary {
  readonly successful: readonly FileSnapshot[];
  readonly failed: readonly FileSnapshot[];
  readonly canceled: readonly FileSnapshot[];
}

/**
 * Callbacks; each runs on a microtask after the change, never inside the engine's own step, so a
 * callback may call the uploader (remove, retry) freely. A callback that throws does not stop uploads.
 */
export interface UploaderEvents {
  /** An accepted file joined the list (rejected ones come back in add()'s `rejected`). */
  onFileAdded?: (file: FileSnapshot) => void;
  /** Bytes moved; at most once per progressInterval per file. */
  onProgress?: (file: FileSnapshot) => void;
  onSuccess?: (file: FileSnapshot, result: UploadResult) => void;
  /** The file failed for good (its retries are spent). Never called for a cancel. */
  onError?: (file: FileSnapshot, error: UploadError) => void;
  onComplete?: (summary: BatchSummary) => void;
}
