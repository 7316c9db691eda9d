/**
 * Each part ends with a round trip in which the link carries nothing (the answer, then the next
 * request): on a 150 ms link an 8 MiB part at 20 Mbit/s (3.4 s) idles it 4%. So parts grow until
 * one takes this long (the round trip then costs ~1-2%): a PATCH that breaks keeps the bytes that
 * arrived (tus), so a long part loses nothing; a checksummed one keeps nothing (the server cannot
 * verify half a body), so a break loses at most one part of this length.
 */
const GROW_BELOW_MS = 8000;
/** Far below: grow four-fold, so a fast link (or loopback) reaches large parts in few requests. */
const LEAP_BELOW_MS = 2000;
/** A request slower than this holds too much unacknowledged work: shrink toward the first size. */
const SHRINK_ABOVE_MS = 30_000;

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
    if (ms < GROW_BELOW_MS) this.#size = Math.min(this.#max, this.#size * (ms < LEAP_BELOW_MS ? 4 : 2));
    else if (ms > SHRINK_ABOVE_MS) this.#size = Math.max(this.#floor, Math.floor(this.#size / 2));
  }
}
