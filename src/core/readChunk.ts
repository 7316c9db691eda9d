import type { BufferLease } from './BufferPool.js';
import { abortedError, onAbort } from './onAbort.js';
import { isUploadError, UNREADABLE, UploadError } from './UploadError.js';

/**
 * Read all bytes of `blob` into lease.buffer from offset 0 and return a view of exactly blob.size bytes;
 * or, with `onRead`, read a blob of any size through the buffer, a window of its length at a time,
 * handing each read's bytes to onRead as they land (a CRC hashes them while they are in the cache).
 * The fast path is a BYOB reader: it fills the pooled buffer in place, so nothing proportional to the
 * chunk is allocated. Every read transfers the buffer (the old one is detached), so each returned
 * value.buffer is adopted into the lease; a read may return less than asked, so we loop until full.
 * Where blob.stream() is not a byte stream, the bytes are copied from blob.arrayBuffer().
 * An abort takes effect once the read under way returns, so the buffer comes back to the lease intact.
 * `watch` is for a read that hangs: `onProgress` runs after every read that returned bytes, and when
 * `giveUp` aborts, the read under way is abandoned at once with giveUp's reason; its buffer, transferred
 * into that read, is lost, and the pool frees the slot on release.
 */
export async function readChunk(
  blob: Blob,
  lease: BufferLease,
  signal?: AbortSignal,
  watch?: ReadWatch,
  onRead?: (bytes: Uint8Array) => void,
): Promise<Uint8Array<ArrayBuffer>> {
  const size = blob.size;
  const window = lease.buffer.byteLength;
  if (size > window && !onRead) {
    throw new RangeError(`${size} bytes do not fit the buffer`);
  }
  throwIfAborted(signal);
  if (size > 0) {
    const reader = openByobReader(blob);
    if (reader) await fillFromReader(blob, reader, lease, size, signal, watch, onRead);
    else {
      for (let start = 0; start < size; start += window) {
        // Sliced only when it must be: the blob itself when it fits (a wrapped File keeps its own reads).
        const piece = size > window ? blob.slice(start, start + window) : blob;
        await copyFromArrayBuffer(piece, lease, piece.size, signal, watch);
        onRead?.(new Uint8Array(lease.buffer, 0, piece.size));
      }
    }
  }
  return new Uint8Array(lease.buffer, 0, Math.min(size, window));
}

export interface ReadWatch {
  /** After every read that returned bytes, with their count. */
  onProgress(bytes: number): void;
  giveUp: AbortSignal;
}

function openByobReader(blob: Blob): ReadableStreamBYOBReader | undefined {
  if (typeof blob.stream !== 'function') return undefined;
  const stream = blob.stream();
  try {
    return stream.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream (older engines, polyfilled or wrapped Blobs): use the copying path.
    stream.cancel().catch(ignore);
    return undefined;
  }
}

/** The bytes a read waits for (see fillFromReader): the CRC's window. */
const MIN_READ = 1024 * 1024;

/** The Streams spec's `read(view, { min })`, which TypeScript's DOM lib does not declare yet. */
interface AtLeastReader {
  read<T extends ArrayBufferView>(view: T, options: { min: number }): Promise<ReadableStreamReadResult<T>>;
}

async function fillFromReader(
  blob: Blob,
  reader: ReadableStreamBYOBReader,
  lease: BufferLease,
  size: number,
  signal: AbortSignal | undefined,
  watch: ReadWatch | undefined,
  onRead: ((bytes: Uint8Array) => void) | undefined,
): Promise<void> {
  let filled = 0;
  // Where the next read lands: the window wraps round to 0 once full (only with onRead is size > window).
  let at = 0;
  const window = lease.buffer.byteLength;
  // Canceling settles the read under way (as done, without its buffer) even if the source never answers.
  const stopWatching = onAbort(watch?.giveUp, () => reader.cancel().catch(ignore));
  try {
    while (filled < size) {
      const length = Math.min(window - at, size - filled);
      // `min`: a read returns a whole MiB (or the rest), where Chromium would answer ~100 KiB at a time;
      // fewer reads hold less of the browser's read-path memory (measured 1-3 MiB less per upload). At
      // most a MiB, so a slow disk still shows progress to the stall watch every MiB. An engine without
      // `min` ignores it and the loop gathers the pieces.
      const { done, value } = await (reader as AtLeastReader).read(new Uint8Array(lease.buffer, at, length), { min: Math.min(length, MIN_READ) });
      if (watch?.giveUp.aborted) throw watch.giveUp.reason;
      if (value) lease.adopt(value.buffer);
      if (done || !value) break;
      onRead?.(value);
      filled += value.byteLength;
      at = (at + value.byteLength) % window;
      throwIfAborted(signal);
      watch?.onProgress(value.byteLength);
    }
  } catch (error) {
    reader.cancel().catch(ignore);
    throw isUploadError(error) ? error : await explainStreamError(error, blob);
  } finally {
    stopWatching();
  }
  // The slice is fully read; cancel so the browser drops its blob reader without waiting for EOF.
  reader.cancel().catch(ignore);
  if (filled < size) throw fileChanged(`read ${filled} of ${size} bytes`);
}

async function copyFromArrayBuffer(
  blob: Blob,
  lease: BufferLease,
  size: number,
  signal: AbortSignal | undefined,
  watch: ReadWatch | undefined,
): Promise<void> {
  let bytes: ArrayBuffer;
  let stopWatching = (): void => {};
  try {
    bytes = await new Promise<ArrayBuffer>((resolve, reject) => {
      stopWatching = onAbort(watch?.giveUp, () => reject(watch?.giveUp.reason));
      blob.arrayBuffer().then(resolve, (error: unknown) => reject(asReadError(error)));
    });
  } finally {
    stopWatching();
  }
  throwIfAborted(signal);
  if (bytes.byteLength !== size) throw fileChanged(`read ${bytes.byteLength} of ${size} bytes`);
  new Uint8Array(lease.buffer, 0, size).set(new Uint8Array(bytes));
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError(signal.reason);
}

/**
 * A Blob stream over a file changed on disk, or over a Blob the browser could not store (past its blob
 * storage limit), fails with a bare "TypeError: network error" in Chromium, which says nothing; reading
 * one byte the other way gets the DOMException that tells the read failed for good (NotReadableError
 * for both: which of the two it was, Chromium tells only its console).
 */
async function explainStreamError(error: unknown, blob: Blob): Promise<unknown> {
  try {
    await blob.slice(0, 1).arrayBuffer();
  } catch (probeError) {
    const explained = asReadError(probeError);
    if (isUploadError(explained)) return new UploadError(explained.code, explained.message, { cause: error });
  }
  return asReadError(error);
}

/**
 * Chromium reports a file modified or deleted on disk after it was chosen as NotReadableError/NotFoundError,
 * and a Blob built in memory past its blob storage limit as NotReadableError too.
 */
function asReadError(error: unknown): unknown {
  if (error instanceof DOMException && (error.name === 'NotReadableError' || error.name === 'NotFoundError')) {
    return fileChanged(error.message, error);
  }
  return error;
}

function fileChanged(detail: string, cause?: unknown): UploadError {
  return new UploadError('file-changed', `The file can no longer be read: ${UNREADABLE} (${detail})`, { cause });
}

function ignore(): void {}
