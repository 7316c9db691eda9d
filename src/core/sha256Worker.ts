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
import type { BufferLease } from './PooledLease.js';
import { readChunk } from './readChunk.js';
import { isUploadError } from './UploadError.js';

const scope = self;
/**
 * Reads under way, by id: aborting `pause` stops one after the read under way (the buffer comes back).
 * `stall` is never aborted (a stalled worker is ended by the page), but holding it here roots the read: its
 * reader is reachable only from the stall signal's listener, and a pending read referenced only by the
 * async function that awaits it was garbage-collected with its stream and never settled (seen: parts
 * whose read hung until the stall timeout, in one upload of 256 MiB in two).
 */
const reads = new Map<number, { pause: AbortController; stall: AbortController }>();
const fast = crcWasm();
/** Bytes read between two progress messages: few messages, and still several a second on the slowest disk. */
const PROGRESS_BYTES = 1024 * 1024;

scope.onmessage = async ({ data }: MessageEvent<HashRequest>) => {
  if ('cancel' in data) {
    // A cancel can cross the reply on its way: only reads still under way take it.
    const read = reads.get(data.cancel);
    read?.pause.abort();
    return;
  }
  const { id, blob, algorithm } = data;
  const controls = { pause: new AbortController(), stall: new AbortController() };
  reads.set(id, controls);
  // readChunk adopts the buffer each read hands back; the pool that owns it is the page's.
  const lease = { buffer: data.buffer, released: false, adopt: (buffer: ArrayBuffer) => void (lease.buffer = buffer), release() {} } satisfies BufferLease;
  let reply: HashReply;
  try {
    let state: number[] = [];
    let unreported = 0;
    const onProgress = (bytes: number): void => {
      unreported += bytes;
      if (unreported < PROGRESS_BYTES) return;
      scope.postMessage({ id, progress: unreported } satisfies HashReply);
      unreported = 0;
    };
    const bytes = await readChunk(blob, lease, controls.pause.signal, { onProgress, giveUp: controls.stall.signal }, isCrc(algorithm)
      ? (read) => (state = algorithm !== 'crc64nvme' && fast ? [fast(algorithm, state[0] ?? 0, read)] : crcUpdate(algorithm, state, read))
      : undefined);
    const digest = isCrc(algorithm) ? crcBytes(algorithm, state).buffer : await crypto.subtle.digest('SHA-256', bytes);
    // A pause that came with the last read or the digest still counts: the page has stopped waiting for it.
    if (controls.pause.signal.aborted) throw controls.pause.signal.reason;
    reply = { id, buffer: lease.buffer, digest: digest as ArrayBuffer };
  } catch (error) {
    const known = isUploadError(error) && (error.code === 'file-changed' || error.code === 'aborted') ? error.code : undefined;
    reply = {
      id,
      // A read that failed or was abandoned keeps the buffer it was given: detached here, lost.
      buffer: lease.buffer.byteLength ? lease.buffer : undefined,
      code: known ?? (controls.pause.signal.aborted ? 'aborted' : undefined),
      error: error instanceof Error ? error.message : String(error),
    };
  }
  reads.delete(id);
  scope.postMessage(reply, { transfer: reply.buffer ? [reply.buffer] : [] });
};

// Tells the page the script loaded and runs (a CSP or a missing file fails before this).
scope.postMessage({ id: -1 } satisfies HashReply);
