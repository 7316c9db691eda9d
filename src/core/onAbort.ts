import { UploadError } from './UploadError.js';

/**
 * Calls `listener` once when `signal` aborts, at once if it already has; returns the function that
 * stops listening. One helper for every wait that must end on abort, so none forgets to detach.
 */
export function onAbort(signal: AbortSignal | undefined, listener: () => void): () => void {
  if (signal?.aborted) listener();
  else signal?.addEventListener('abort', listener, { once: true });
  return () => signal?.removeEventListener('abort', listener);
}

/** The error of work given up because it was aborted (cancel, pause, destroy); never a failure. */
export function abortedError(reason?: unknown): UploadError {
  return new UploadError('aborted', 'Aborted', { cause: reason });
}
