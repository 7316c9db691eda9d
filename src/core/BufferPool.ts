import type { Clock } from './ports.js';
import type { MemorySnapshot } from './types.js';
import { PooledLease } from './PooledLease.js';
import { systemClock } from './systemClock.js';
import { UploadError } from './UploadError.js';

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

export interface BufferLease {
  /** The current ArrayBuffer. A BYOB read transfers (detaches) it; call adopt() with the returned value.buffer. */
  readonly buffer: ArrayBuffer;
  /** Replace the buffer after a transfer; must have the same byteLength. Throws after release(). */
  adopt(buffer: ArrayBuffer): void;
  /** Idempotent; returns the buffer to the pool (or frees it after destroy, or when it was left detached). */
  release(): void;
  readonly released: boolean;
}

interface Waiter {
  resolve(lease: BufferLease): void;
  reject(error: UploadError): void;
  detach(): void;
}

/**
 * A bounded pool of equal ArrayBuffers, reused so that a steady upload allocates nothing new.
 * In-flight bytes (leased buffers plus request bodies counted with trackBody) never exceed
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
  readonly #registry = new FinalizationRegistry<number>(() => this.#onLeak());
  #idle: ArrayBuffer[] = [];
  #waiters: Waiter[] = [];
  #leased = 0;
  #tracked = 0;
  #peak = 0;
  readonly #count = { created: 0, reused: 0, released: 0, freed: 0, leaks: 0 };
  #lastActivity = 0;
  #timer: unknown = undefined;
  #timerArmed = false;
  #destroyed = false;
  #snapshot: MemorySnapshot | undefined;

  constructor(options: BufferPoolOptions) {
    const { bufferSize, budget, idleTimeout = 5000 } = options;
    if (!Number.isSafeInteger(bufferSize) || bufferSize <= 0) throw new RangeError(`bad bufferSize: ${bufferSize}`);
    if (!(budget >= 0)) throw new RangeError(`bad budget: ${budget}`);
    this.bufferSize = bufferSize;
    this.#budget = budget;
    this.#capacity = Math.max(1, Math.floor(budget / bufferSize)) * bufferSize;
    this.#idleTimeout = idleTimeout;
    this.#clock = options.clock ?? systemClock;
    this.#onChange = options.onChange;
  }

  /** Resolves with a lease, waiting (FIFO) while the budget is in flight; rejects with 'aborted'. */
  lease(signal?: AbortSignal): Promise<BufferLease> {
    if (signal?.aborted || this.#destroyed) return Promise.reject(aborted(signal?.reason));
    if (this.#waiters.length === 0 && this.#canLease()) {
      const lease = this.#grant();
      this.#changed();
      return Promise.resolve(lease);
    }
    return new Promise<BufferLease>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== entry);
        reject(aborted(signal?.reason));
      };
      const entry: Waiter = { resolve, reject, detach: () => signal?.removeEventListener('abort', onAbort) };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(entry);
    });
  }

  /**
   * Count a request body built from pooled bytes as in flight until the returned function is called.
   * Pass the lease the body was built from: its budget slot is handed to the body and the lease is
   * released in one step, so in-flight bytes never rise. Without a lease the bytes must fit in the
   * budget not yet in flight, else this throws a RangeError (a caller bug: bodies come from leased bytes).
   */
  trackBody(bytes: number, lease?: BufferLease): () => void {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`bad body size: ${bytes}`);
    if (lease !== undefined) {
      if (!(lease instanceof PooledLease) || lease.owner !== this || lease.released) {
        throw new Error('trackBody() needs an unreleased lease of this pool');
      }
      if (bytes > this.bufferSize) throw new RangeError(`body of ${bytes} bytes exceeds its lease`);
    } else if (this.#inFlight() + bytes > this.#capacity) {
      throw new RangeError(`trackBody(${bytes}) would exceed the memory budget; pass the lease the body came from`);
    }
    this.#tracked += bytes;
    // With a lease, in-flight bytes only fall (bytes <= bufferSize), so the peak cannot move.
    if (lease) {
      lease.release();
    } else {
      this.#bumpPeak();
      this.#changed();
    }
    let settled = false;
    return () => {
      if (settled) return;
      settled = true;
      this.#tracked -= bytes;
      this.#drain();
      this.#changed();
    };
  }

  stats(): MemorySnapshot {
    this.#snapshot ??= {
      budgetBytes: this.#budget,
      inFlightBytes: this.#inFlight(),
      peakInFlightBytes: this.#peak,
      pooledBytes: (this.#leased + this.#idle.length) * this.bufferSize,
      bufferSize: this.bufferSize,
      leasedBuffers: this.#leased,
      idleBuffers: this.#idle.length,
      buffersCreated: this.#count.created,
      buffersReused: this.#count.reused,
      buffersReleased: this.#count.released,
      buffersFreed: this.#count.freed,
      leaksDetected: this.#count.leaks,
    };
    return this.#snapshot;
  }

  /** Free idle buffers, reject waiters with 'aborted', stop timers; later releases free their buffer. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#freeIdle();
    if (this.#timerArmed) this.#clock.clearTimeout(this.#timer);
    this.#timerArmed = false;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) {
      waiter.detach();
      waiter.reject(aborted(undefined));
    }
    this.#changed();
  }

  #inFlight(): number {
    return this.#leased * this.bufferSize + this.#tracked;
  }

  #canLease(): boolean {
    return this.#inFlight() + this.bufferSize <= this.#capacity;
  }

  #grant(): BufferLease {
    let buffer = this.#idle.pop();
    // A stale view kept by a caller could have transferred an idle buffer: never hand that out.
    while (buffer && buffer.byteLength !== this.bufferSize) {
      this.#count.freed++;
      buffer = this.#idle.pop();
    }
    if (buffer) {
      this.#count.reused++;
    } else {
      buffer = new ArrayBuffer(this.bufferSize);
      this.#count.created++;
    }
    this.#leased++;
    this.#lastActivity = this.#clock.now();
    this.#bumpPeak();
    const lease = new PooledLease(buffer, this, this.bufferSize, this.#giveBack);
    // The held value is a plain number: a reference to the lease would keep it alive forever.
    this.#registry.register(lease, this.bufferSize, lease);
    return lease;
  }

  readonly #giveBack = (buffer: ArrayBuffer, lease: PooledLease): void => {
    this.#registry.unregister(lease);
    this.#leased--;
    // A buffer left detached (a read that failed or was canceled mid-transfer) is gone: free its slot.
    if (this.#destroyed || buffer.byteLength !== this.bufferSize) {
      this.#count.freed++;
    } else {
      this.#count.released++;
      this.#idle.push(buffer);
    }
    this.#lastActivity = this.#clock.now();
    this.#drain();
    this.#armIdleTimer();
    this.#changed();
  };

  #drain(): void {
    while (!this.#destroyed && this.#waiters.length > 0 && this.#canLease()) {
      const waiter = this.#waiters.shift();
      if (!waiter) return;
      waiter.detach();
      waiter.resolve(this.#grant());
    }
  }

  /** One timer per quiet period, not one per lease: it re-arms itself while leases keep coming. */
  #armIdleTimer(): void {
    if (this.#destroyed || this.#timerArmed || this.#idle.length === 0) return;
    const wait = Math.max(0, this.#lastActivity + this.#idleTimeout - this.#clock.now());
    this.#timerArmed = true;
    this.#timer = this.#clock.setTimeout(this.#onIdleTimer, wait);
  }

  readonly #onIdleTimer = (): void => {
    this.#timerArmed = false;
    if (this.#clock.now() - this.#lastActivity < this.#idleTimeout) {
      this.#armIdleTimer();
      return;
    }
    if (this.#idle.length === 0) return;
    this.#freeIdle();
    this.#changed();
  };

  #freeIdle(): void {
    this.#count.freed += this.#idle.length;
    this.#idle = [];
  }

  #onLeak(): void {
    this.#leased--;
    this.#count.leaks++;
    this.#count.freed++;
    this.#drain();
    this.#changed();
  }

  #bumpPeak(): void {
    this.#peak = Math.max(this.#peak, this.#inFlight());
  }

  #changed(): void {
    this.#snapshot = undefined;
    this.#onChange?.();
  }
}

function aborted(reason: unknown): UploadError {
  return new UploadError('aborted', 'Waiting for a pooled buffer was aborted', { cause: reason });
}
