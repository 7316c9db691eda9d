import type { RetryOptions } from './types.js';
import type { UploadError } from './UploadError.js';

export const RETRY_DEFAULTS = { maxRetries: 5, baseDelay: 1000, maxDelay: 30_000, jitter: 0.5 } as const;

/** Statuses worth another try: server trouble (5xx), conflicts and locks that clear, rate limits. */
const RETRYABLE_STATUSES = new Set([409, 423, 429]);

/**
 * The default answer to "is this worth another attempt?". Transient transport trouble is; a
 * client error (403, 404, 413...) or a broken protocol exchange will fail the same way again.
 */
export function defaultShouldRetry(error: UploadError): boolean {
  switch (error.code) {
    case 'network':
    case 'stalled':
    case 'timeout':
    case 'checksum-mismatch':
      return true;
    case 'http-status': {
      const status = error.response?.status;
      if (status === undefined) return false;
      return status >= 500 || RETRYABLE_STATUSES.has(status);
    }
    default:
      return false;
  }
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
  const shouldRetry = options.shouldRetry ?? defaultShouldRetry;
  const maxRetries = options.maxRetries ?? options.delays?.length ?? RETRY_DEFAULTS.maxRetries;
  if (attempt > maxRetries || !shouldRetry(error, attempt)) return null;
  const delay = options.delays ? fixedDelay(options.delays, attempt) : backoff(attempt, options, random);
  return Math.max(delay, serverDelay(error));
}

function fixedDelay(delays: readonly number[], attempt: number): number {
  // Past the end of the list (maxRetries larger than the list), keep the last delay.
  return delays[Math.min(attempt, delays.length) - 1] ?? 0;
}

function backoff(attempt: number, options: RetryOptions, random: () => number): number {
  const base = options.baseDelay ?? RETRY_DEFAULTS.baseDelay;
  const max = options.maxDelay ?? RETRY_DEFAULTS.maxDelay;
  const jitter = clamp01(options.jitter ?? RETRY_DEFAULTS.jitter);
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  // Jitter takes up to `jitter` of the delay away, so many clients that failed together
  // (a server restart) do not come back in lockstep, yet never wait longer than the ceiling.
  return Math.round(ceiling * (1 - jitter * clamp01(random())));
}

/** Retry-After only means "wait" on rate limiting and unavailability. */
function serverDelay(error: UploadError): number {
  const status = error.response?.status;
  if (error.retryAfterMs === undefined || (status !== 429 && status !== 503)) return 0;
  return error.retryAfterMs;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
