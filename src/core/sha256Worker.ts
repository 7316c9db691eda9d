/**
 * Dedicated worker that reads parts and hashes them: Chromium's SubtleCrypto digest blocks the calling
 * thread (~100 ms per 8 MiB), a CRC takes the thread it runs on, and a Blob read costs the reading
 * thread per piece, so the page stays responsive and does no per-read work only if all of it runs here.
 * (The file keeps its first name: the build ships it under it.) The pooled buffer arrives transferred
 * and goes back transferred, so the pool keeps its memory. A CRC reads the part a window (the buffer's
 * length) at a time and hashes each read as it lands, while the bytes are still in the cache.
 */
import { crcBytes, isCrc } from './checksums/checksum.js';
import { crcUpdate } from './checksums/crcUpdate.js';
import { crcWasm } from './checksums/crcWasm.js';
import type { HashReply, HashRequest } from './LeaseHasher.js';

const scope = self;
/**
 * Reads under way, by id. `hard` once the page gave up: true stops at once (a stall), false after the
 * read under way (a pause). Holding the reader here also roots it: a pending read referenced only by
 * the async function that awaits it can be garbage-collected with its stream, and then never settles
 * (seen here: parts whose read hung until the stall timeout, in about one upload of 1 GiB in three).
 */
const reads = new Map<number, { reader?: ReadableStreamBYOBReader; hard?: boolean }>();
const fast = crcWasm();
/** Bytes read between two progress messages: enough to keep them rare, few enough for any stallTimeout. */
const PROGRESS_BYTES = 1024 * 1024;

scope.onmessage = async ({ data }: MessageEvent<HashRequest>) => {
  if ('cancel' in data) {
    // A cancel can cross the reply on its way: only reads still under way take it.
    const read = reads.get(data.cancel);
    if (read) read.hard = data.hard;
    if (data.hard) read?.reader?.cancel().catch(() => {});
    return;
  }
  const { id } = data;
  reads.set(id, {});
  let reply: HashReply;
  try {
    reply = await readAndHash(data);
  } catch (error) {
    reply = { id, error: String(error) };
  }
  reads.delete(id);
  scope.postMessage(reply, { transfer: reply.buffer ? [reply.buffer] : [] });
};

/**
 * Read all of `blob` through `buffer` with BYOB reads (each transfers the buffer; the one returned is
 * kept), hash, and tell the page of progress every PROGRESS_BYTES. A read that fails or comes up short
 * means the file changed on disk; the buffer is then lost in the failed read (the page frees its slot).
 */
async function readAndHash({ id, buffer, blob, algorithm }: Extract<HashRequest, { id: number }>): Promise<HashReply> {
  const window = buffer.byteLength;
  if (!isCrc(algorithm) && blob.size > window) throw new RangeError(`${blob.size} bytes do not fit the buffer`);
  const reader = blob.stream().getReader({ mode: 'byob' });
  const entry = reads.get(id) ?? {};
  entry.reader = reader;
  let state: number[] = [];
  let read = 0;
  let at = 0;
  let unreported = 0;
  try {
    while (read < blob.size) {
      const { done, value } = await reader.read(new Uint8Array(buffer, at, Math.min(window - at, blob.size - read)));
      if (value) buffer = value.buffer;
      const hard = entry.hard;
      if (hard !== undefined) {
        reader.cancel().catch(() => {});
        return { id, buffer: hard ? undefined : buffer, code: 'aborted', error: 'Aborted' };
      }
      if (done || !value) break;
      if (isCrc(algorithm)) state = algorithm !== 'crc64nvme' && fast ? [fast(algorithm, state[0] ?? 0, value)] : crcUpdate(algorithm, state, value);
      read += value.byteLength;
      at = (at + value.byteLength) % window;
      unreported += value.byteLength;
      if (unreported >= PROGRESS_BYTES) {
        unreported = 0;
        scope.postMessage({ id, progress: true } satisfies HashReply);
      }
    }
  } catch (error) {
    return { id, ...(await explain(error, blob)) };
  }
  reader.cancel().catch(() => {});
  // A pause that came with the last read still counts: the page has stopped waiting for a digest.
  if (entry.hard !== undefined) return { id, buffer: entry.hard ? undefined : buffer, code: 'aborted', error: 'Aborted' };
  if (read < blob.size) return { id, buffer, code: 'file-changed', error: `The file changed on disk: read ${read} of ${blob.size} bytes` };
  const digest = isCrc(algorithm) ? crcBytes(algorithm, state).buffer : await crypto.subtle.digest('SHA-256', new Uint8Array(buffer, 0, read));
  return { id, buffer, digest: digest as ArrayBuffer };
}

/**
 * A Blob stream over a file changed on disk fails with a bare "TypeError: network error" in Chromium;
 * reading one byte the other way gets the DOMException that says what happened.
 */
async function explain(error: unknown, blob: Blob): Promise<Pick<HashReply, 'code' | 'error'>> {
  for (const probe of [error, await blob.slice(0, 1).arrayBuffer().then(() => null, (failure: unknown) => failure)]) {
    if (probe instanceof DOMException && (probe.name === 'NotReadableError' || probe.name === 'NotFoundError')) {
      return { code: 'file-changed', error: `The file changed on disk: ${probe.message}` };
    }
  }
  return { error: `Reading the file failed: ${String(error)}` };
}

// Tells the page the script loaded and runs (a CSP or a missing file fails before this).
scope.postMessage({ id: -1 } satisfies HashReply);
