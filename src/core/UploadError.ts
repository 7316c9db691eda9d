import type { HttpRequest, HttpResponse } from './ports.js';
import { stripCredentials } from './urls.js';

export type UploadErrorCode =
  /** No response arrived (connection refused, reset, offline). Retryable. */
  | 'network'
  /** The server answered with a status the protocol does not accept. */
  | 'http-status'
  /** The server answered, but not as the protocol requires (missing or bad headers). */
  | 'protocol'
  /** Bytes stopped flowing, to the server or out of the file, for longer than stallTimeout. Retryable. */
  | 'stalled'
  /** The server gave no answer within responseTimeout (to a fully sent part or any other call). Retryable. */
  | 'timeout'
  /** The server computed a different checksum for a part (tus 460: retryable; S3 400 BadDigest: not). */
  | 'checksum-mismatch'
  /** A restriction refused the file; no request was sent. */
  | 'rejected-file'
  /**
   * The file can no longer be read: it changed, moved or was deleted on disk after it was chosen (choose
   * it again), or it is a Blob built in memory that the browser would not store (Chromium holds 2 GiB of
   * them in a private window, 500 MiB in its first seconds; see the README). Chromium reports both alike,
   * so the message names both. Not retried.
   */
  | 'file-changed'
  /** The server refused the credentials (401/403) again after `headers` was asked for fresh ones. */
  | 'unauthorized'
  /** Aborted by the caller (cancel, pause, destroy). Never reported as a failure. */
  | 'aborted';

/**
 * Why a 'file-changed' file cannot be read, in its message. Both causes, because the browser tells them
 * apart to no script: a blob over Chromium's blob storage fails every read exactly as a file changed on disk.
 */
export const UNREADABLE = "changed, moved or deleted since it was chosen (choose the file again), or an in-memory Blob over the browser's blob limit";

/** The parts of a request worth keeping in an error: never the body, never credentials. */
export interface ErrorRequest {
  method: string;
  url: string;
}

export interface ErrorResponse {
  status: number;
  body: string;
  /** Selected response headers useful in a report (e.g. Retry-After). */
  headers: Record<string, string>;
}

export interface UploadErrorOptions {
  cause?: unknown;
  request?: ErrorRequest;
  response?: ErrorResponse;
  /** For 429/503: how long the server asked us to wait, in ms. */
  retryAfterMs?: number;
}

const REPORTED_HEADERS = ['retry-after', 'upload-offset', 'tus-version', 'content-type'];

/** One error type for everything that can go wrong; `code` says what. */
export class UploadError extends Error {
  override readonly name = 'UploadError';
  declare readonly code: UploadErrorCode;
  declare readonly request: ErrorRequest | undefined;
  declare readonly response: ErrorResponse | undefined;
  declare readonly retryAfterMs: number | undefined;

  /** The request and response, when given, are described in the message too: reports often carry only the message. */
  constructor(code: UploadErrorCode, message: string, { cause, request, response, retryAfterMs }: UploadErrorOptions = {}) {
    const answer = response ? ` → ${response.status}${response.body && `: ${response.body.slice(0, 200)}`}` : '';
    super(request ? `${message} (${request.method} ${request.url}${answer})` : message, { cause });
    Object.assign(this, { code, request, response, retryAfterMs });
  }

  /** Build an error from a response the protocol did not accept. */
  static fromResponse(
    code: UploadErrorCode,
    message: string,
    request: Pick<HttpRequest, 'method' | 'url'>,
    response: HttpResponse,
  ): UploadError {
    const headers: Record<string, string> = {};
    for (const name of REPORTED_HEADERS) {
      const value = response.header(name);
      if (value !== null) headers[name] = value;
    }
    return new UploadError(code, message, {
      request: { method: request.method, url: stripCredentials(request.url) },
      response: { status: response.status, body: response.body.slice(0, 500), headers },
      retryAfterMs: parseRetryAfter(response.header('retry-after')),
    });
  }
}

export function isUploadError(value: unknown): value is UploadError {
  return value instanceof UploadError;
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
