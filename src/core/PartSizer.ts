/** A request faster than this is cheap to double: per-request cost dominates small parts. */
const GROW_BELOW_MS = 1500;
/** A request slower than this holds too much unacknowledged work: shrink toward the first size. */
const SHRINK_ABOVE_MS = 8000;

export interface PartSizerOptions {
  initial: number;
  max: number;
  min: number;
  /** False when parts are hashed: they must fit the pooled buffer, so the size stays put. */
  adaptive: boolean;
}

/**
 * Part size for unread (unhashed) parts, adapted to measured throughput: a 1 GiB upload ends up
 * in a handful of large requests (the server's per-request cost is high) while each part is
 * still a resume point.
 */
export class PartSizer {
  readonly adaptive: boolean;
  #max: number;
  #floor: number;
  #size: number;

  constructor({ initial, max, min, adaptive }: PartSizerOptions) {
    this.adaptive = adaptive;
    this.#max = max;
    this.#size = this.#floor = Math.min(max, Math.max(initial, min, 1));
  }

  get size(): number {
    return this.#size;
  }

  /** Never go above `bytes` again (a body limit the server or a proxy enforces). */
  cap(bytes: number): void {
    this.#max = Math.min(this.#max, bytes);
    this.#size = Math.min(this.#size, this.#max);
    this.#floor = Math.min(this.#floor, this.#max);
  }

  /** Report a part acknowledged in full: `bytes` long, taking `ms` from send to answer. */
  observe(bytes: number, ms: number): void {
    // Only full-size parts say something about the link: a short last part is always fast.
    if (!this.adaptive || bytes < this.#size) return;
    if (ms < GROW_BELOW_MS) this.#size = Math.min(this.#max, this.#size * 2);
    else if (ms > SHRINK_ABOVE_MS) this.#size = Math.max(this.#floor, Math.floor(this.#size / 2));
  }
}
