import type { BufferLease } from './BufferPool.js';
import type { ChecksumAlgorithm, CrcAlgorithm, CrcState } from './checksums/checksum.js';
import { sha256 } from './sha256.js';

/**
 * Page → worker: hash the first `length` bytes of `buffer` (transferred). For a CRC, continue `state`
 * (the running value after the bytes before these), so a part is hashed in buffer-sized pieces.
 */
export interface HashRequest {
  id: number;
  buffer: ArrayBuffer;
  length: number;
  algorithm: ChecksumAlgorithm;
  state: CrcState;
}

/** Worker → page: the same buffer (transferred back) and its digest (SHA-256), state (CRC) or an error; id -1 means ready. */
export interface HashReply {
  id: number;
  buffer?: ArrayBuffer;
  digest?: ArrayBuffer;
  state?: number[];
  error?: string;
}

/** How long the worker may take to load before hashing stays on the main thread. */
const START_TIMEOUT_MS = 10_000;

interface Pending {
  lease: BufferLease;
  resolve(result: Uint8Array | number[] | null): void;
  reject(error: Error): void;
}

/**
 * SHA-256 or CRCs of pooled chunks in one dedicated worker, started on the first hash. Without Workers
 * (node, SSR), or once the worker failed to start or died, every hash runs on the main thread.
 */
export class LeaseHasher {
  /** undefined: not started yet; null: main thread from now on. */
  #worker: Promise<Worker | null> | null | undefined;
  #live: Worker | null = null;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;

  /**
   * Digest of lease.buffer[0, length). Resolves null when the worker died holding the buffer:
   * the lease's buffer is then detached (release() frees it) and the caller reads the chunk again.
   */
  async hash(lease: BufferLease, length: number): Promise<Uint8Array | null> {
    const worker = await this.#ready();
    if (!worker) return sha256(new Uint8Array(lease.buffer, 0, length));
    return this.#post(worker, lease, length, 'sha-256', []) as Promise<Uint8Array | null>;
  }

  /**
   * Continue the running CRC `state` over lease.buffer[0, length); resolves the new state, or null as
   * hash() does (the caller reads the piece again and continues from the same `state`).
   */
  async crc(lease: BufferLease, length: number, algorithm: CrcAlgorithm, state: CrcState): Promise<number[] | null> {
    const worker = await this.#ready();
    // The main-thread fallback (no Worker: SSR, a CSP, a failed start) loads the CRC tables only then.
    if (!worker) return (await import('./checksums/crcUpdate.js')).crcUpdate(algorithm, state, new Uint8Array(lease.buffer, 0, length));
    return this.#post(worker, lease, length, algorithm, state) as Promise<number[] | null>;
  }

  #ready(): Promise<Worker | null> {
    return this.#worker === undefined ? (this.#worker = this.#start()) : Promise.resolve(this.#worker);
  }

  #post(worker: Worker, lease: BufferLease, length: number, algorithm: ChecksumAlgorithm, state: CrcState): Promise<Uint8Array | number[] | null> {
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      this.#pending.set(id, { lease, resolve, reject });
      const request: HashRequest = { id, buffer: lease.buffer, length, algorithm, state };
      worker.postMessage(request, [lease.buffer]);
    });
  }

  destroy(): void {
    this.#stop();
  }

  #start(): Promise<Worker | null> {
    if (typeof Worker === 'undefined') return Promise.resolve(null);
    return new Promise<Worker | null>((resolve) => {
      let worker: Worker;
      try {
        // Keep this exact expression: the library build ships it verbatim beside dist/sha256Worker.js
        // (vite.config.ts), so an app's bundler recognises it and bundles the worker as its own file.
        worker = new Worker(new URL('./sha256Worker.js', import.meta.url), { type: 'module' });
      } catch {
        // A script of another origin (the package imported from a CDN) throws; a CSP refusal or a
        // missing file fails later, through onerror.
        return resolve(null);
      }
      this.#live = worker;
      // A worker that neither loads nor fails (a stuck fetch of its script) must not hold hashing up.
      const giveUp = setTimeout(() => {
        this.#stop();
        resolve(null);
      }, START_TIMEOUT_MS);
      worker.onmessage = ({ data }: MessageEvent<HashReply>) => {
        if (data.id >= 0) return this.#settle(data);
        clearTimeout(giveUp);
        resolve(worker);
      };
      // Before 'ready' this is a failed start; after it, a dead worker: either way, main thread from now.
      worker.onerror = worker.onmessageerror = () => {
        clearTimeout(giveUp);
        this.#stop();
        resolve(null);
      };
    });
  }

  #settle({ id, buffer, digest, state, error }: HashReply): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    if (buffer && !pending.lease.released) pending.lease.adopt(buffer);
    if (digest) pending.resolve(new Uint8Array(digest));
    else if (state) pending.resolve(state);
    else pending.reject(new Error(`Hashing failed in the worker: ${error ?? 'no digest'}`));
  }

  /** Terminate the worker; hashes under way lost their buffer, so they resolve null. */
  #stop(): void {
    this.#live?.terminate();
    this.#live = null;
    this.#worker = null;
    for (const pending of this.#pending.values()) pending.resolve(null);
    this.#pending.clear();
  }
}
