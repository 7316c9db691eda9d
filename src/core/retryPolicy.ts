import type { RetryOptions } from './types.js';
import type { UploadError } from './UploadError.js';

export const RETRY_DEFAULTS = { maxRetries: 5, baseDelay: 1000, maxDelay: 30_000, jitter: 0.5 } as const;

/**
 * The default answer to "is this worth another attempt?". Transient transport trouble is, and so are
 * server trouble (5xx), conflicts and locks that clear (409, 423) and rate limits (429); a client
 * error (403, 404, 413...), a server out of storage (507) or a broken protocol exchange will fail the
 * same way again: retrying a 507 only adds load to a full server.
 */
export function defaultShouldRetry(error: UploadError): boolean {
  const status = error.response?.status ?? 0;
  return error.code === 'http-status'
    ? (status >= 500 && status !== 507) || status === 409 || status === 423 || status === 429
    : error.code === 'network' || error.code === 'stalled' || error.code === 'timeout' || error.code === 'checksum-mismatch';
}

/**
 * How long to wait before retry number `attempt` (1 for the first retry), or null to give up.
 * Pure: the caller supplies `random` so jitter is testable.
 */
export function retryDelay(
  error: UploadError,
  attempt: number,
  options: RetryOptions = {},
  random: () => number = Math.random,
): number | null {
  const { delays, shouldRetry = defaultShouldRetry, maxRetries = delays?.length ?? RETRY_DEFAULTS.maxRetries } = options;
  const { baseDelay = RETRY_DEFAULTS.baseDelay, maxDelay = RETRY_DEFAULTS.maxDelay, jitter = RETRY_DEFAULTS.jitter } = options;
  if (attempt > maxRetries || !shouldRetry(error, attempt)) return null;
  // Past the end of a fixed list (maxRetries larger than the list), keep the last delay. Jitter takes
  // up to `jitter` of an exponential delay away, so many clients that failed together (a server
  // restart) do not come back in lockstep, yet never wait longer than the ceiling.
  const delay = delays
    ? (delays[Math.min(attempt, delays.length) - 1] ?? 0)
    : Math.round(Math.min(maxDelay, baseDelay * 2 ** (attempt - 1)) * (1 - clamp01(jitter) * clamp01(random())));
  // Retry-After only means "wait" on rate limiting and unavailability.
  const status = error.response?.status;
  return Math.max(delay, (status === 429 || status === 503) && error.retryAfterMs !== undefined ? error.retryAfterMs : 0);
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
