import type { Clock } from './ports.js';
import type { MemorySnapshot } from './types.js';
import { PooledLease, type BufferLease } from './PooledLease.js';
import { systemClock } from './systemClock.js';
import { abortedError, onAbort } from './onAbort.js';
import type { UploadError } from './UploadError.js';

// The lease type lives beside its class, so the two files do not import each other.
export type { BufferLease } from './PooledLease.js';

/** The smallest buffer a lease gets: smaller ones would multiply buffers for little memory. */
const MIN_BUFFER = 64 * 1024;

export interface BufferPoolOptions {
  /** The largest buffer, and the size of a lease that names none. */
  bufferSize: number;
  /** Max bytes of buffers alive at once (leased + idle): max(1, floor(budget / bufferSize)) * bufferSize. */
  budget: number;
  /** Ms without any lease or release after which idle buffers are freed. Default 5000. */
  idleTimeout?: number;
  clock?: Clock;
  /** Called synchronously, once per operation, after any counter changed. */
  onChange?: () => void;
}

interface Waiter {
  size: number;
  resolve(lease: BufferLease): void;
  reject(error: UploadError): void;
  detach(): void;
}

/**
 * A bounded pool of ArrayBuffers, reused so that a steady upload allocates nothing new. A lease asks
 * for a size (a small part, a read window) and gets a buffer of the next power of two (at least
 * MIN_BUFFER, at most bufferSize), or an idle one that is larger rather than a new one: in-flight bytes
 * are what is held. Bytes of all buffers (leased + idle) never exceed
 * max(1, floor(budget / bufferSize)) * bufferSize, which is <= budget whenever bufferSize <= budget.
 * The pool keeps no reference to a leased lease, so a lease dropped without release() is
 * garbage-collected and counted as a leak instead of deadlocking the pool.
 */
export class BufferPool {
  readonly bufferSize: number;
  readonly #budget: number;
  readonly #capacity: number;
  readonly #idleTimeout: number;
  readonly #clock: Clock;
  readonly #onChange: (() => void) | undefined;
  readonly #registry = new FinalizationRegistry<number>((size) => {
    this.#leased--;
    this.#leasedBytes -= size;
    this.#leaks++;
    this.#freed++;
    this.#drain();
    this.#changed();
  });
  #idle: ArrayBuffer[] = [];
  #waiters: Waiter[] = [];
  #leased = 0;
  #leasedBytes = 0;
  #peak = 0;
  #created = 0;
  #reused = 0;
  #released = 0;
  #freed = 0;
  #leaks = 0;
  #lastActivity = 0;
  #timer: unknown = null;
  #destroyed = false;
  #snapshot: MemorySnapshot | undefined;

  constructor({ bufferSize, budget, idleTimeout = 5000, clock = systemClock, onChange }: BufferPoolOptions) {
    if (!Number.isSafeInteger(bufferSize) || bufferSize <= 0) throw new RangeError(`bad bufferSize: ${bufferSize}`);
    if (!(budget >= 0)) throw new RangeError(`bad budget: ${budget}`);
    this.bufferSize = bufferSize;
    this.#budget = budget;
    this.#capacity = Math.max(1, Math.floor(budget / bufferSize)) * bufferSize;
    this.#idleTimeout = idleTimeout;
    this.#clock = clock;
    this.#onChange = onChange;
  }

  /** Resolves with a lease of at least `size` bytes (at most bufferSize), waiting (FIFO) while the budget is in flight; rejects with 'aborted'. */
  lease(signal?: AbortSignal, size = this.bufferSize): Promise<BufferLease> {
    return new Promise<BufferLease>((resolve, reject) => {
      if (this.#destroyed) return reject(abortedError());
      size = Math.min(this.bufferSize, Math.max(MIN_BUFFER, 2 ** Math.ceil(Math.log2(size))));
      const entry: Waiter = { size, resolve, reject, detach: () => {} };
      this.#waiters.push(entry);
      entry.detach = onAbort(signal, () => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== entry);
        reject(abortedError(signal?.reason));
      });
      // Granted at once when nobody waits ahead and the budget has room.
      if (this.#drain()) this.#changed();
    });
  }

  stats(): MemorySnapshot {
    return (this.#snapshot ??= {
      budgetBytes: this.#budget,
      inFlightBytes: this.#inFlight(),
      peakInFlightBytes: this.#peak,
      pooledBytes: this.#leasedBytes + this.#idleBytes(),
      bufferSize: this.bufferSize,
      leasedBuffers: this.#leased,
      idleBuffers: this.#idle.length,
      buffersCreated: this.#created,
      buffersReused: this.#reused,
      buffersReleased: this.#released,
      buffersFreed: this.#freed,
      leaksDetected: this.#leaks,
    });
  }

  /** Free idle buffers, reject waiters with 'aborted', stop timers; later releases free their buffer. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#freeIdle();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) {
      waiter.detach();
      waiter.reject(abortedError());
    }
    this.#changed();
  }

  #inFlight(): number {
    return this.#leasedBytes;
  }

  #idleBytes(): number {
    return this.#idle.reduce((sum, buffer) => sum + buffer.byteLength, 0);
  }

  /** A lease of `size` bytes or more, or null while the budget has no room for it. */
  #grant(size: number): BufferLease | null {
    // A stale view kept by a caller could have transferred an idle buffer: never hand that out.
    const live = this.#idle.filter((idle) => idle.byteLength);
    this.#freed += this.#idle.length - live.length;
    this.#idle = live;
    // The smallest idle buffer that fits; else a new one, freeing idle ones (of other sizes) for room.
    let buffer = this.#idle.filter((idle) => idle.byteLength >= size).sort((a, b) => a.byteLength - b.byteLength)[0];
    while (!buffer && this.#idle.length && this.#leasedBytes + this.#idleBytes() + size > this.#capacity) {
      this.#idle.pop();
      this.#freed++;
    }
    if (!buffer && this.#leasedBytes + size > this.#capacity) return null;
    if (buffer) {
      this.#idle.splice(this.#idle.indexOf(buffer), 1);
      this.#reused++;
    } else {
      buffer = new ArrayBuffer(size);
      this.#created++;
    }
    size = buffer.byteLength;
    this.#leased++;
    this.#leasedBytes += size;
    this.#lastActivity = this.#clock.now();
    this.#bumpPeak();
    const lease = new PooledLease(buffer, size, this.#giveBack);
    // The held value is a plain number: a reference to the lease would keep it alive forever.
    this.#registry.register(lease, size, lease);
    return lease;
  }

  readonly #giveBack = (buffer: ArrayBuffer, lease: PooledLease, size: number): void => {
    this.#registry.unregister(lease);
    this.#leased--;
    this.#leasedBytes -= size;
    // A buffer left detached (a read that failed or was canceled mid-transfer) is gone: free its slot.
    if (this.#destroyed || buffer.byteLength !== size) {
      this.#freed++;
    } else {
      this.#released++;
      this.#idle.push(buffer);
    }
    this.#lastActivity = this.#clock.now();
    this.#drain();
    this.#armIdleTimer();
    this.#changed();
  };

  /** Grant leases to waiters, first come first served, while the budget has room; true if any. */
  #drain(): boolean {
    let granted = false;
    for (let waiter = this.#waiters[0]; waiter && !this.#destroyed; waiter = this.#waiters[0]) {
      const lease = this.#grant(waiter.size);
      if (!lease) break;
      this.#waiters.shift();
      waiter.detach();
      waiter.resolve(lease);
      granted = true;
    }
    return granted;
  }

  /** One timer per quiet period, not one per lease: it re-arms itself while leases keep coming. */
  #armIdleTimer(): void {
    if (this.#destroyed || this.#timer !== null || this.#idle.length === 0) return;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      if (this.#clock.now() - this.#lastActivity < this.#idleTimeout) return this.#armIdleTimer();
      if (this.#idle.length === 0) return;
      this.#freeIdle();
      this.#changed();
    }, Math.max(0, this.#lastActivity + this.#idleTimeout - this.#clock.now()));
  }

  #freeIdle(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#freed += this.#idle.length;
    this.#idle = [];
  }

  #bumpPeak(): void {
    this.#peak = Math.max(this.#peak, this.#inFlight());
  }

  #changed(): void {
    this.#snapshot = undefined;
    this.#onChange?.();
  }
}
