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
 * The protocol's own error is kept when it says 'timeout', since it names the request (method and
 * URL). A call that ignores its aborted signal gets as long again and is then abandoned, so not even
 * a faulty protocol holds the engine for good.
 */
export async function withTimeout<T>(
  limit: TimeLimit,
  what: string,
  parent: AbortSignal | undefined,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { clock, responseTimeout: ms } = limit;
  const controller = new AbortController();
  const detach = onAbort(parent, () => controller.abort(parent?.reason));
  // Infinity means "wait forever", as for parts: setTimeout would treat it as 0.
  if (!(ms < Infinity)) return call(controller.signal).finally(detach);
  const expired = new UploadError('timeout', `No answer to ${what} within ${ms} ms`);
  const timer = clock.setTimeout(() => controller.abort(expired), ms);
  let grace: unknown = null;
  try {
    return await new Promise<T>((resolve, reject) => {
      call(controller.signal).then(resolve, reject);
      onAbort(controller.signal, () => {
        grace = clock.setTimeout(() => reject(controller.signal.reason), ms);
      });
    });
  } catch (error) {
    throw controller.signal.reason === expired ? asTimeout(error, expired) : error;
  } finally {
    clock.clearTimeout(timer);
    if (grace !== null) clock.clearTimeout(grace);
    detach();
  }
}

/** The error a timed-out call ended with, as a 'timeout' that names the request where it is known. */
function asTimeout(error: unknown, expired: UploadError): UploadError {
  if (isUploadError(error) && error.code === 'timeout') return error;
  const request = isUploadError(error) ? error.request : undefined;
  return new UploadError('timeout', expired.message, request ? { cause: error, request } : { cause: error });
}
