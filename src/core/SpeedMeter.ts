/** Time constant of the smoothing, ms: a change of rate shows half-way after ~1.4 s. */
const SMOOTHING_MS = 2000;
/** Rates measured over shorter windows than this are noise (several progress events per frame). */
const MIN_WINDOW_MS = 200;

/**
 * Smoothed upload speed (exponentially weighted moving average over time, so irregular
 * progress events weigh by how long they cover) and the ETA that follows from it.
 */
export interface SpeedMeter {
  /** Feed the bytes moved so far at time `now`; a drop (failure rolled bytes back) restarts the window. */
  sample(bytes: number, now: number): void;
  /** Bytes per second. */
  readonly speed: number;
  /** Seconds to move `remaining` bytes at the smoothed speed; null while it is unknown. */
  eta(remaining: number): number | null;
  reset(): void;
}

export function createSpeedMeter(): SpeedMeter {
  let rate = 0;
  let lastAt: number | null = null;
  let lastBytes = 0;
  return {
    sample(bytes, now) {
      const elapsed = now - (lastAt ?? now);
      if (lastAt !== null && bytes >= lastBytes) {
        if (elapsed < MIN_WINDOW_MS) return;
        const instant = ((bytes - lastBytes) * 1000) / elapsed;
        rate += (rate === 0 ? 1 : 1 - Math.exp(-elapsed / SMOOTHING_MS)) * (instant - rate);
      }
      lastAt = now;
      lastBytes = bytes;
    },
    get speed() {
      return Math.round(rate);
    },
    eta(remaining) {
      if (remaining <= 0) return 0;
      return rate > 0 ? remaining / rate : null;
    },
    reset() {
      rate = 0;
      lastAt = null;
      lastBytes = 0;
    },
  };
}
