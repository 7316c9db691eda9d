/** Time constant of the smoothing, ms: a change of rate shows half-way after ~1.4 s. */
const SMOOTHING_MS = 2000;
/** Rates measured over shorter windows than this are noise (several progress events per frame). */
const MIN_WINDOW_MS = 200;

/**
 * Smoothed upload speed (exponentially weighted moving average over time, so irregular
 * progress events weigh by how long they cover) and the ETA that follows from it.
 */
export class SpeedMeter {
  #rate = 0;
  #lastAt: number | null = null;
  #lastBytes = 0;

  /** Feed the bytes moved so far at time `now`; a drop (failure rolled bytes back) restarts the window. */
  sample(bytes: number, now: number): void {
    const elapsed = now - (this.#lastAt ?? now);
    if (this.#lastAt !== null && bytes >= this.#lastBytes) {
      if (elapsed < MIN_WINDOW_MS) return;
      const instant = ((bytes - this.#lastBytes) * 1000) / elapsed;
      this.#rate += (this.#rate === 0 ? 1 : 1 - Math.exp(-elapsed / SMOOTHING_MS)) * (instant - this.#rate);
    }
    this.#lastAt = now;
    this.#lastBytes = bytes;
  }

  /** Bytes per second. */
  get speed(): number {
    return Math.round(this.#rate);
  }

  /** Seconds to move `remaining` bytes at the smoothed speed; null while it is unknown. */
  eta(remaining: number): number | null {
    if (remaining <= 0) return 0;
    return this.#rate > 0 ? remaining / this.#rate : null;
  }

  reset(): void {
    this.#rate = 0;
    this.#lastAt = null;
    this.#lastBytes = 0;
  }
}
