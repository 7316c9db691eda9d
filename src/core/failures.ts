import type { Clock } from './ports.js';
import { onAbort } from './onAbort.js';
import { isUploadError, UNREADABLE, UploadError } from './UploadError.js';

/**
 * Failures a file upload answers itself, before the retry policy, once each until bytes are
 * acknowledged again: expired credentials (401/403) ask headers() for fresh ones, and an upload that
 * vanished under a part (404/410) lets the sync that follows find it gone, so the session starts afresh.
 */
export class Recovery {
  /** The server refused the last credentials: the next headers() call is told so. */
  #refused = false;
  /** Fresh credentials were asked for once since the last acknowledged bytes: a second refusal fails. */
  #reauthorized = false;
  /** A part found the upload gone (404/410) once since the last acknowledged bytes. */
  #vanished = false;

  /** Null means "go again now", without spending a retry; else the error for the retry policy. */
  answer(error: UploadError, hasSession: boolean): UploadError | null {
    const status = error.code === 'http-status' ? error.response?.status : 0;
    if (status === 401 || status === 403) {
      if (this.#reauthorized) return refusedAgain(error);
      this.#reauthorized = this.#refused = true;
      return null;
    }
    if ((status === 404 || status === 410) && hasSession && !this.#vanished) {
      this.#vanished = true;
      return null;
    }
    return error;
  }

  /** Whether the next headers() call must say the previous credentials were refused; asking clears it. */
  takeRefused(): boolean {
    const refused = this.#refused;
    this.#refused = false;
    return refused;
  }

  /** Bytes were acknowledged, or the user retried: each answer may be given once again. */
  reset(): void {
    this.#reauthorized = this.#vanished = false;
  }
}

/**
 * A second refusal after headers() was asked for fresh credentials: 'unauthorized', which an app can act
 * on (sign in again), keeping the server's own words (S3's code) first and the request and response.
 */
function refusedAgain(error: UploadError): UploadError {
  const refused = new UploadError('unauthorized', `${error.message}; refused again after headers() was asked for fresh credentials`, { cause: error });
  return Object.assign(refused, { request: error.request, response: error.response });
}

/**
 * What was thrown, as an UploadError. A network error may really be the file: Chrome fails the
 * request when its source vanished, or when it is a Blob the browser could not store, so the file is
 * read at `at` to tell.
 */
export async function classifyFailure(thrown: unknown, file: File, at: number): Promise<UploadError> {
  const error = isUploadError(thrown)
    ? thrown
    : new UploadError('network', thrown instanceof Error ? thrown.message : String(thrown), { cause: thrown });
  if (error.code !== 'network' || (await readable(file, at))) return error;
  return new UploadError('file-changed', `${file.name} can no longer be read: ${UNREADABLE}.`, { cause: error });
}

async function readable(file: File, acknowledged: number): Promise<boolean> {
  const at = Math.min(acknowledged, Math.max(0, file.size - 1));
  try {
    await file.slice(at, at + 1).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** Wait on the injected clock; resolves false when aborted first. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const handle = clock.setTimeout(() => {
      stop();
      resolve(true);
    }, ms);
    const stop = onAbort(signal, () => {
      clock.clearTimeout(handle);
      resolve(false);
    });
  });
}
