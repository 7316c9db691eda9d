export interface BufferLease {
  /** The current ArrayBuffer. A BYOB read transfers (detaches) it; call adopt() with the returned value.buffer. */
  readonly buffer: ArrayBuffer;
  /** Replace the buffer after a transfer; must have the same byteLength. Throws after release(). */
  adopt(buffer: ArrayBuffer): void;
  /** Idempotent; returns the buffer to the pool (or frees it after destroy, or when it was left detached). */
  release(): void;
  readonly released: boolean;
}

/** Stands in for the buffer of a released lease, so a kept lease object does not pin pooled memory. */
const RELEASED = new ArrayBuffer(0);

/**
 * The lease BufferPool hands out. It holds its pool (through giveBack), never the other way round,
 * so a lease dropped without release() can be garbage-collected and reported as a leak.
 */
export class PooledLease implements BufferLease {
  readonly #size: number;
  readonly #giveBack: (buffer: ArrayBuffer, lease: PooledLease, size: number) => void;
  #buffer: ArrayBuffer;
  #released = false;

  constructor(buffer: ArrayBuffer, size: number, giveBack: (buffer: ArrayBuffer, lease: PooledLease, size: number) => void) {
    this.#buffer = buffer;
    this.#size = size;
    this.#giveBack = giveBack;
  }

  get buffer(): ArrayBuffer {
    if (this.#released) throw new Error('BufferLease used after release()');
    return this.#buffer;
  }

  get released(): boolean {
    return this.#released;
  }

  adopt(buffer: ArrayBuffer): void {
    if (this.#released) throw new Error('BufferLease.adopt() after release()');
    if (buffer.byteLength !== this.#size) throw new RangeError(`adopt() needs ${this.#size} bytes`);
    this.#buffer = buffer;
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    const buffer = this.#buffer;
    this.#buffer = RELEASED;
    this.#giveBack(buffer, this, this.#size);
  }
}
