/**
 * A token bucket: tokens (bytes) accrue at `rate` per second up to `burst`; a send of n bytes
 * (n <= burst) may go once n tokens are there. Over any interval of length T the bytes it lets
 * through never exceed `burst + rate * T`: the invariant the shaping proxy's cap rests on.
 * Pure: the caller passes the time, so the arithmetic is tested without a clock.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  /** `rate` in bytes per second; `nowMs` the starting time (the bucket starts full). */
  constructor(
    readonly rate: number,
    readonly burst: number,
    nowMs: number,
  ) {
    if (!(rate > 0) || !(burst >= 1)) throw new RangeError(`token bucket needs rate > 0 and burst >= 1, got ${rate}, ${burst}`);
    this.tokens = burst;
    this.last = nowMs;
  }

  /** Milliseconds until `bytes` may go (0: now). */
  delayFor(bytes: number, nowMs: number): number {
    this.refill(nowMs);
    this.check(bytes);
    return this.tokens >= bytes ? 0 : ((bytes - this.tokens) * 1000) / this.rate;
  }

  /** Takes `bytes` if they may go now; false (and nothing taken) otherwise. */
  tryTake(bytes: number, nowMs: number): boolean {
    if (this.delayFor(bytes, nowMs) > 0) return false;
    this.tokens -= bytes;
    return true;
  }

  private refill(nowMs: number): void {
    // A clock that steps back (it should not) must not mint tokens twice.
    if (nowMs > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.last) * this.rate) / 1000);
      this.last = nowMs;
    }
  }

  private check(bytes: number): void {
    if (!(bytes > 0) || bytes > this.burst) throw new RangeError(`a send of ${bytes} bytes does not fit a burst of ${this.burst}`);
  }
}

/**
 * The largest byte count sent in any window of `windowMs` (sliding over the send times), for
 * checking a log of sends against `burst + rate * windowMs`.
 */
export function maxBytesInWindow(sends: readonly { atMs: number; bytes: number }[], windowMs: number): number {
  let best = 0;
  let sum = 0;
  let start = 0;
  for (let end = 0; end < sends.length; end += 1) {
    const current = sends[end];
    if (!current) continue;
    sum += current.bytes;
    for (let first = sends[start]; first && first.atMs < current.atMs - windowMs; first = sends[start]) {
      sum -= first.bytes;
      start += 1;
    }
    best = Math.max(best, sum);
  }
  return best;
}
