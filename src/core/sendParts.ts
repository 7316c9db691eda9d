import type { BufferLease } from './BufferPool.js';
import type { UploadContext } from './FileUpload.js';
import { type ChecksumAlgorithm, type CrcAlgorithm, crcBytes, crcUpdate, type CrcState, isCrc } from './checksums/checksum.js';
import type { ByteRange, PartRequest, ProtocolSession } from './ports.js';
import { onAbort } from './onAbort.js';
import { PartPlanner, type PlannedPart } from './PartPlanner.js';
import type { PartSizer } from './PartSizer.js';
import { readChunk } from './readChunk.js';
import { sha256 } from './sha256.js';
import { StallDetector } from './StallDetector.js';
import { UploadError } from './UploadError.js';

/** What the part loop needs from the file upload that runs it. */
export interface PartHost {
  /** The uploader's pool, clock, headers and timeouts. */
  readonly ctx: Pick<UploadContext, 'pool' | 'hasher' | 'clock' | 'requestHeaders' | 'stallTimeout' | 'responseTimeout'>;
  readonly file: Blob;
  readonly session: ProtocolSession;
  /** Hash each part and send the digest with it. */
  readonly hashing: boolean;
  /** The digest to send when hashing. Default SHA-256. */
  readonly algorithm?: ChecksumAlgorithm;
  readonly sizer: PartSizer;
  /** Bytes of the part starting at `start` handed to the network so far. */
  progress(start: number, loaded: number): void;
  /** The server confirmed [start, end). */
  acknowledged(start: number, end: number): void;
  /** The part starting at `start` is no longer in flight (sent, failed or aborted). */
  settled(start: number): void;
}

interface PreparedPart extends PlannedPart {
  body: Blob;
  sha256?: Uint8Array;
  checksum?: PartRequest['checksum'];
}

/**
 * Send every range the server lacks, up to maxParallelParts at once. When hashing, the next
 * part is hashed while the current one is on the wire, so hashing stays off the critical path.
 * The first failure aborts the other parts and is thrown once everything has settled.
 */
export async function sendParts(host: PartHost, uploaded: readonly ByteRange[], signal: AbortSignal): Promise<void> {
  const planner = new PartPlanner(uploaded, host.file.size);
  const parallel = Math.max(1, host.session.capabilities.maxParallelParts);
  const attempt = linkedController(signal);
  const inflight = new Set<Promise<unknown>>();
  // Held in an object: the closures below set it, which flow analysis on a plain `let` would miss.
  const outcome: { failure: { error: unknown } | null } = { failure: null };
  const fail = (error: unknown): null => {
    outcome.failure ??= { error };
    attempt.controller.abort(error);
    return null;
  };
  const prepareNext = (): Promise<PreparedPart | null> => {
    const range = planner.take(host.sizer.size);
    return range ? prepare(host, range, attempt.controller.signal).catch(fail) : Promise.resolve(null);
  };
  let prefetched: Promise<PreparedPart | null> | null = null;
  try {
    while (!outcome.failure) {
      if (inflight.size >= parallel) {
        await Promise.race(inflight);
        continue;
      }
      let part = prefetched ? await prefetched : null;
      prefetched = null;
      // A short acknowledgement put bytes back below the prefetched part: those go first.
      if (part && planner.hasBefore(part.start)) {
        planner.requeue(part);
        part = null;
      }
      part ??= await prepareNext();
      if (outcome.failure) break;
      if (!part) {
        if (inflight.size === 0) break;
        await Promise.race(inflight);
        continue;
      }
      const sending = sendOne(host, part, planner, attempt.controller.signal)
        .catch(fail)
        .finally(() => inflight.delete(sending));
      inflight.add(sending);
      if (host.hashing) prefetched = prepareNext();
    }
  } finally {
    await Promise.all([...inflight, prefetched]);
    attempt.dispose();
  }
  if (outcome.failure) throw outcome.failure.error;
}

async function prepare(host: PartHost, part: PlannedPart, signal: AbortSignal): Promise<PreparedPart> {
  // The body is always the lazy slice: the browser streams it from disk, ~10x faster than
  // an ArrayBuffer body, and no copy of the bytes outlives the hashing.
  // A part that is the whole file sends the File itself: Chromium's browser process spends several
  // times the CPU on any slice of a file, even slice(0, size), than on the File (measured: 200 files
  // of 1 MiB, ~1.9 s sliced vs ~0.6 s whole).
  const whole = part.start === 0 && part.end === host.file.size;
  const prepared: PreparedPart = { ...part, body: whole ? host.file : host.file.slice(part.start, part.end) };
  if (!host.hashing) return prepared;
  const algorithm = host.algorithm ?? 'sha-256';
  const value = isCrc(algorithm) ? await crcOf(host, algorithm, part, signal) : await sha256Of(host, prepared.body, signal);
  prepared.checksum = { algorithm, value };
  if (algorithm === 'sha-256') prepared.sha256 = value;
  return prepared;
}

async function sha256Of(host: PartHost, body: Blob, signal: AbortSignal): Promise<Uint8Array> {
  // An empty part has nothing to read: no buffer for it.
  if (body.size === 0) return sha256(new Uint8Array(0));
  // A worker that dies mid-hash takes the buffer with it (the detached buffer is freed on release):
  // the hasher is on the main thread from then on, so the second read always yields a digest.
  for (;;) {
    const lease = await host.ctx.pool.lease(signal);
    try {
      const digest = await host.ctx.hasher.hash(lease, (await readWatched(host, body, lease, signal)).length);
      if (digest) return digest;
    } finally {
      lease.release();
    }
  }
}

/**
 * A CRC continues across pieces, so a part of any size is read in buffer-sized turns through one
 * lease: the part size is free of the pool's buffer size (S3's grid may exceed it), memory is not.
 */
async function crcOf(host: PartHost, algorithm: CrcAlgorithm, part: PlannedPart, signal: AbortSignal): Promise<Uint8Array> {
  const { pool, hasher } = host.ctx;
  let state: CrcState = crcUpdate(algorithm, [], new Uint8Array(0));
  let lease: BufferLease | null = null;
  try {
    for (let start = part.start; start < part.end; ) {
      lease ??= await pool.lease(signal);
      const end = Math.min(part.end, start + pool.bufferSize);
      const read = await readWatched(host, host.file.slice(start, end), lease, signal);
      const next = await hasher.crc(lease, read.length, algorithm, state);
      if (next) {
        state = next;
        start = end;
      } else {
        // The worker died with the buffer: a fresh lease, the same piece again from the same state.
        lease.release();
        lease = null;
      }
    }
  } finally {
    lease?.release();
  }
  return crcBytes(algorithm, state);
}

/**
 * A read of the file that makes no progress for stallTimeout is abandoned as 'stalled' (retryable):
 * a blob read the browser never answers must not hold the upload, and its pooled slot, forever.
 */
async function readWatched(host: PartHost, body: Blob, lease: BufferLease, signal: AbortSignal): Promise<Uint8Array> {
  const { ctx } = host;
  // Not linked to `signal`: a pause lets the read under way finish into its buffer (readChunk's abort).
  const giveUp = new AbortController();
  const detector = new StallDetector(ctx.clock, () => ctx.stallTimeout, () => {
    giveUp.abort(new UploadError('stalled', `Reading the file made no progress for ${ctx.stallTimeout} ms`));
  });
  // Armed before the first read: a read that never yields a byte is the case to catch.
  detector.progress();
  try {
    return await readChunk(body, lease, signal, { onProgress: () => detector.progress(), giveUp: giveUp.signal });
  } finally {
    detector.done();
  }
}

async function sendOne(host: PartHost, part: PreparedPart, planner: PartPlanner, signal: AbortSignal): Promise<void> {
  const { ctx } = host;
  const length = part.end - part.start;
  const request = linkedController(signal);
  let stalled: UploadError | null = null;
  const detector = new StallDetector(
    ctx.clock,
    () => ctx.stallTimeout,
    (waiting) => {
      stalled = waiting
        ? new UploadError('timeout', `No answer ${ctx.responseTimeout} ms after the part was sent`)
        : new UploadError('stalled', `No bytes sent for ${ctx.stallTimeout} ms`);
      request.controller.abort(stalled);
    },
    () => ctx.responseTimeout,
  );
  // Disarm at the abort itself, not when the request settles: destroy() leaves no timer behind.
  request.controller.signal.addEventListener('abort', () => detector.done(), { once: true });
  const started = ctx.clock.now();
  try {
    const headers = await ctx.requestHeaders();
    const { acknowledged } = await host.session.sendPart({
      ...part,
      headers,
      signal: request.controller.signal,
      onUploadProgress(loaded) {
        if (request.controller.signal.aborted) return;
        // Once the whole body is out, silence means the server is working: a stall no longer,
        // but a server that never answers must not hold the request forever.
        if (loaded >= length) detector.sent();
        else detector.progress();
        host.progress(part.start, Math.min(Math.max(0, loaded), length));
      },
      // A request of the part that carries no bytes (tus: the creating POST) is judged as a sent body.
      onAwaitingAnswer() {
        if (!request.controller.signal.aborted) detector.sent();
      },
    });
    if (stalled) throw stalled;
    const accepted = Math.min(Math.max(0, Math.floor(acknowledged)), length);
    if (accepted === 0 && length > 0) {
      throw new UploadError('protocol', `The server took none of the ${length} bytes sent at ${part.start}`);
    }
    host.acknowledged(part.start, part.start + accepted);
    if (accepted < length) planner.requeue({ start: part.start + accepted, end: part.end });
    else host.sizer.observe(length, ctx.clock.now() - started);
  } catch (error) {
    throw stalled ?? error;
  } finally {
    detector.done();
    request.dispose();
    host.settled(part.start);
  }
}

/** An AbortController that also aborts when `parent` does; dispose() detaches it. */
export function linkedController(parent: AbortSignal): { controller: AbortController; dispose(): void } {
  const controller = new AbortController();
  return { controller, dispose: onAbort(parent, () => controller.abort(parent.reason)) };
}
