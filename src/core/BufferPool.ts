import type { Clock } from './ports.js';
import type { MemorySnapshot } from './types.js';
import { PooledLease, type BufferLease } from './PooledLease.js';
import { systemClock } from './systemClock.js';
import { abortedError, onAbort } from './onAbort.js';
import type { UploadError } from './UploadError.js';

// The lease type lives beside its class, so the two files do not import each other.
export type { BufferLease } from './PooledLease.js';

export interface BufferPoolOptions {
  /** Every buffer has this byteLength. */
  bufferSize: number;
  /** Max bytes of buffers alive at once (leased + idle): maxBuffers = max(1, floor(budget / bufferSize)). */
  budget: number;
  /** Ms without any lease or release after which idle buffers are freed. Default 5000. */
  idleTimeout?: number;
  clock?: Clock;
  /** Called synchronously, once per operation, after any counter changed. */
  onChange?: () => void;
}

interface Waiter {
  resolve(lease: BufferLease): void;
  reject(error: UploadError): void;
  detach(): void;
}

/**
 * A bounded pool of equal ArrayBuffers, reused so that a steady upload allocates nothing new.
 * In-flight bytes (leased buffers) never exceed
 * maxBuffers * bufferSize, which is <= budget whenever bufferSize <= budget.
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
  readonly #registry = new FinalizationRegistry<number>(() => {
    this.#leased--;
    this.#leaks++;
    this.#freed++;
    this.#drain();
    this.#changed();
  });
  #idle: ArrayBuffer[] = [];
  #waiters: Waiter[] = [];
  #leased = 0;
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

  /** Resolves with a lease, waiting (FIFO) while the budget is in flight; rejects with 'aborted'. */
  lease(signal?: AbortSignal): Promise<BufferLease> {
    return new Promise<BufferLease>((resolve, reject) => {
      if (this.#destroyed) return reject(abortedError());
      const entry: Waiter = { resolve, reject, detach: () => {} };
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
      pooledBytes: (this.#leased + this.#idle.length) * this.bufferSize,
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
    return this.#leased * this.bufferSize;
  }

  #grant(): BufferLease {
    let buffer = this.#idle.pop();
    // A stale view kept by a caller could have transferred an idle buffer: never hand that out.
    while (buffer && buffer.byteLength !== this.bufferSize) {
      this.#freed++;
      buffer = this.#idle.pop();
    }
    if (buffer) this.#reused++;
    else this.#created++;
    this.#leased++;
    this.#lastActivity = this.#clock.now();
    this.#bumpPeak();
    const lease = new PooledLease(buffer ?? new ArrayBuffer(this.bufferSize), this.bufferSize, this.#giveBack);
    // The held value is a plain number: a reference to the lease would keep it alive forever.
    this.#registry.register(lease, 0, lease);
    return lease;
  }

  readonly #giveBack = (buffer: ArrayBuffer, lease: PooledLease): void => {
    this.#registry.unregister(lease);
    this.#leased--;
    // A buffer left detached (a read that failed or was canceled mid-transfer) is gone: free its slot.
    if (this.#destroyed || buffer.byteLength !== this.bufferSize) {
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
    while (!this.#destroyed && this.#inFlight() + this.bufferSize <= this.#capacity) {
      const waiter = this.#waiters.shift();
      if (!waiter) break;
      waiter.detach();
      waiter.resolve(this.#grant());
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
