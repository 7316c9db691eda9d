import type { ChecksumAlgorithm, Clock, HeaderRecord, Protocol, UrlStorage } from './ports.js';
import type { UploadError } from './UploadError.js';

export type FileStatus =
  | 'queued'
  | 'uploading'
  | 'paused'
  | 'completed'
  | 'failed'
  | 'canceled'
  | 'rejected';

/** A rule a file broke; rejections are data, not exceptions. */
export type RestrictionCode = 'file-too-large' | 'file-too-small' | 'too-many-files' | 'file-type-not-accepted';

export interface Rejection {
  code: RestrictionCode;
  message: string;
}

export interface Restrictions {
  maxFileSize?: number;
  minFileSize?: number;
  /** Files held at once (not counting canceled ones). */
  maxFiles?: number;
  /** MIME types ('image/*', 'application/pdf') or extensions ('.pdf'). */
  accept?: readonly string[];
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

export interface UploaderOptions {
  protocol: Protocol;
  /** Upper bound on bytes the library holds in memory for file contents. Default 64 MiB. */
  memoryBudget?: number;
  /** First part size; grows with measured throughput when bytes are not read. Default 8 MiB. */
  chunkSize?: number;
  /** Largest part size adaptive sizing may reach. Default 256 MiB. */
  maxChunkSize?: number;
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
  /** How long a resume record is kept when the server sends no Upload-Expires, ms. Default 7 days. */
  resumeTtl?: number;
  /** Headers for every request, e.g. Authorization; called before each request. */
  headers?: HeaderRecord | (() => HeaderRecord | Promise<HeaderRecord>);
  /** Extra metadata per file sent to the server. */
  metadata?: (file: File) => Record<string, string>;
  /** Start uploads as soon as files are added. Default true. */
  autoStart?: boolean;
  /** Idle pooled buffers are freed after this long without a lease, ms. Default 5000. */
  poolIdleTimeout?: number;
  /** Progress notifications are coalesced to at most one per this many ms. Default 100. */
  progressInterval?: number;
  clock?: Clock;
  /** For jitter; injectable for tests. */
  random?: () => number;
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
}

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
}

export type ConfigurableOption =
  | 'restrictions'
  | 'concurrency'
  | 'headers'
  | 'metadata'
  | 'retry'
  | 'stallTimeout'
  | 'responseTimeout'
  | 'autoStart';

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
  /** Remove a finished, failed, canceled or rejected file from the list. */
  remove(id: string): void;
  /** Change options that may change while running (restrictions, concurrency, headers, retry...). */
  configure(options: Partial<Pick<UploaderOptions, ConfigurableOption>>): void;
  subscribe(listener: () => void): () => void;
  getSnapshot(): UploadSnapshot;
  /** Abort everything, clear timers, free the pool. The uploader is unusable afterwards. */
  destroy(): void;
}
