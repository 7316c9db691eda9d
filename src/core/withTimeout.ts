import type { Clock } from './ports.js';
import { onAbort } from './onAbort.js';
import { isUploadError, UploadError } from './UploadError.js';

/** What a time limit is read from: the uploader's clock and its current responseTimeout. */
export interface TimeLimit {
  readonly clock: Clock;
  readonly responseTimeout: number;
}

/**
 * Runs one protocol call that is not a part upload (open, sync, complete, terminate) under
 * responseTimeout: a server that never answers a HEAD, OPTIONS, POST or DELETE would otherwise hold
 * an upload, or a cancel, forever. When no answer came in time the call's signal aborts with a
 * retryable 'timeout' error, and the call rejects with it. `parent` (pause, cancel, destroy) still
 * aborts the call at once.
 *
 * The timeout error takes over the request the protocol's error names (method and URL). A call that
 * ignores its aborted signal gets as long again and is then abandoned, so not even a faulty protocol
 * holds the engine for good.
 */
export function withTimeout<T>(
  limit: TimeLimit,
  what: string,
  parent: AbortSignal | undefined,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { clock, responseTimeout: ms } = limit;
  const controller = new AbortController();
  const expired = new UploadError('timeout', `No answer to ${what} within ${ms} ms`);
  const timers: unknown[] = [];
  // Infinity means "wait forever", as for parts: setTimeout would treat it as 0.
  const after = (callback: () => void): void => {
    if (ms < Infinity) timers.push(clock.setTimeout(callback, ms));
  };
  const detach = onAbort(parent, () => controller.abort(parent?.reason));
  after(() => controller.abort(expired));
  return new Promise<T>((resolve, reject) => {
    onAbort(controller.signal, () => after(() => reject(controller.signal.reason)));
    call(controller.signal).then(resolve, reject);
  })
    .catch((error: unknown) => {
      if (controller.signal.reason !== expired) throw error;
      throw new UploadError('timeout', expired.message, { cause: error, request: isUploadError(error) ? error.request : undefined });
    })
    .finally(() => {
      for (const timer of timers) clock.clearTimeout(timer);
      detach();
    });
}
