import type { BufferLease } from './BufferPool.js';
import type { ChecksumAlgorithm } from './checksums/checksum.js';
import { abortedError, onAbort } from './onAbort.js';
import type { ReadWatch } from './readChunk.js';
import { spawnHashWorker, type SpawnedWorker } from './spawnHashWorker.js';
import { isUploadError, UploadError } from './UploadError.js';

/**
 * Page → worker: read `blob` through `buffer` (transferred) and hash it. SHA-256 (SubtleCrypto takes
 * its input whole) needs the blob to fit the buffer; a CRC reads it a window of the buffer's length at
 * a time, hashing each read as it lands. `{ cancel }`: a pause, stop that read after the read under way
 * (the buffer comes back). A stall is no message: the page ends the worker (LeaseHasher#hashBlob).
 */
export type HashRequest = { id: number; buffer: ArrayBuffer; blob: Blob; algorithm: ChecksumAlgorithm } | { cancel: number };

/**
 * Worker → page: the buffer (transferred back; absent when a failed read took it) and the checksum's
 * bytes, or an error (`code` when it is an UploadError's); `progress`: bytes read since the last one
 * (about a MiB); id -1: the worker is ready.
 */
export interface HashReply {
  id: number;
  buffer?: ArrayBuffer;
  digest?: ArrayBuffer;
  error?: string;
  code?: 'file-changed' | 'aborted';
  progress?: number;
}

/** How long the worker may take to load before hashing stays on the main thread. */
const START_TIMEOUT_MS = 10_000;

interface Pending {
  lease: BufferLease;
  resolve(result: Uint8Array | null): void;
  reject(error: Error): void;
  onProgress(bytes: number): void;
}

/**
 * Reads and hashes parts in one dedicated worker (spawnHashWorker.ts): the page's thread does
 * no per-read work and never waits on a digest. Without Workers (node, SSR), or once the worker failed
 * to start, died or let a read stall, every part is read and hashed on the main thread (a module loaded
 * only then).
 */
export class LeaseHasher {
  /** The worker once it runs; null: main thread from now on. */
  #worker: Promise<Worker | null> | null;
  #live: Worker | null = null;
  /** While the worker loads: gives up waiting for it (the hashes waiting go to the main thread). */
  #starting: (() => void) | null = null;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;

  /**
   * `spawned`: the worker, already loading (the uploader starts it beside the chunk of this class);
   * adopted at once, so destroy() ends it even before the first hash.
   */
  constructor(spawned: SpawnedWorker | null = spawnHashWorker()) {
    this.#worker = spawned && this.#start(spawned);
  }

  /**
   * The checksum of `blob` (SHA-256 digest or big-endian CRC), read through lease.buffer. Resolves null
   * when the worker died holding the buffer: the lease's buffer is then detached (release() frees it)
   * and the caller starts the part again. `signal` (pause) stops after the read under way, which gives
   * the buffer back; `watch.giveUp` (a stall) abandons the read at once, and its buffer with it, and
   * ends the worker (see below).
   */
  async hashBlob(lease: BufferLease, blob: Blob, algorithm: ChecksumAlgorithm, signal: AbortSignal, watch: ReadWatch): Promise<Uint8Array | null> {
    const worker = await this.#worker;
    if (!worker) return (await import('./checksums/hashOnPage.js')).hashOnPage(lease, blob, algorithm, signal, watch);
    const id = this.#nextId++;
    let stopPause = (): void => {};
    let stopStall = (): void => {};
    try {
      const value = await new Promise<Uint8Array | null>((resolve, reject) => {
        this.#pending.set(id, { lease, resolve, reject, onProgress: watch.onProgress });
        worker.postMessage({ id, buffer: lease.buffer, blob, algorithm } satisfies HashRequest, [lease.buffer]);
        // After the request: the worker takes a cancel only for a read it has.
        stopPause = onAbort(signal, () => worker.postMessage({ cancel: id } satisfies HashRequest));
        stopStall = onAbort(watch.giveUp, () => {
          reject(watch.giveUp.reason);
          // A hung worker fires no error: each hash sent to it would stall, the retry again, forever.
          // So one that let a read stall is ended (a slow disk costs the worker, not the upload): its
          // other hashes start again, and later ones run, on the main thread.
          this.#stop();
        });
      });
      // Paused while the last read or the digest was under way: the buffer is back, the part is not sent.
      if (signal.aborted) throw abortedError(signal.reason);
      return value;
    } catch (error) {
      throw isUploadError(error) && error.code === 'aborted' ? abortedError(signal.reason) : error;
    } finally {
      stopPause();
      stopStall();
    }
  }

  destroy(): void {
    this.#stop();
  }

  /**
   * Adopts the worker once it says it runs; main thread from then on if it fails to load, died before
   * this chunk came to adopt it (even after its ready message), does not load within START_TIMEOUT_MS
   * (a stuck fetch of its script), or the hasher is destroyed meanwhile.
   */
  #start(spawned: SpawnedWorker): Promise<Worker | null> {
    const { worker, first } = spawned;
    this.#live = worker;
    return new Promise<Worker | null>((resolve) => {
      const giveUp = setTimeout(() => this.#stop(), START_TIMEOUT_MS);
      this.#starting = () => {
        clearTimeout(giveUp);
        resolve(null);
      };
      void first.then(() => {
        // Stopped meanwhile: #stop terminated it and resolved null.
        if (this.#live !== worker) return;
        // Failed to load, or died after ready while this chunk loaded (spawnHashWorker keeps that error):
        // a dead worker answers nothing, so every hash sent to it would stall.
        if (spawned.dead) return this.#stop();
        clearTimeout(giveUp);
        this.#starting = null;
        worker.onmessage = ({ data }: MessageEvent<HashReply>) => this.#settle(data);
        // A dead worker: main thread from now on.
        worker.onerror = worker.onmessageerror = () => this.#stop();
        resolve(worker);
      });
    });
  }

  #settle({ id, buffer, digest, error, code, progress }: HashReply): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    if (progress) return pending.onProgress(progress);
    this.#pending.delete(id);
    if (buffer && !pending.lease.released) pending.lease.adopt(buffer);
    if (digest) pending.resolve(new Uint8Array(digest));
    else pending.reject(code ? new UploadError(code, error ?? code) : new Error(`Hashing failed in the worker: ${error ?? 'no digest'}`));
  }

  /** Terminate the worker; hashes under way lost their buffer, so they resolve null. */
  #stop(): void {
    this.#live?.terminate();
    this.#live = null;
    this.#worker = null;
    this.#starting?.();
    this.#starting = null;
    for (const pending of this.#pending.values()) pending.resolve(null);
    this.#pending.clear();
  }
}
