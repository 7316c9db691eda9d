import type { Clock } from '../../src/core/ports.js';

export interface FakeClock extends Clock {
  /** Move time forward by `ms`, running every timer that falls due, in due order (ties: scheduling order). */
  advance(ms: number): void;
  /** Timers scheduled and not yet run or cleared. */
  pending(): number;
}

interface Timer {
  id: number;
  due: number;
  callback: () => void;
}

/** A Clock whose time moves only when a test says so; timers scheduled by timers run in the same advance(). */
export function createFakeClock(start = 0): FakeClock {
  let time = start;
  let nextId = 1;
  const timers = new Map<number, Timer>();

  const nextDue = (limit: number): Timer | undefined => {
    let found: Timer | undefined;
    for (const timer of timers.values()) {
      if (timer.due > limit) continue;
      if (!found || timer.due < found.due || (timer.due === found.due && timer.id < found.id)) found = timer;
    }
    return found;
  };

  return {
    now: () => time,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { id, due: time + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle) {
      if (typeof handle === 'number') timers.delete(handle);
    },
    advance(ms) {
      const target = time + ms;
      for (let timer = nextDue(target); timer; timer = nextDue(target)) {
        timers.delete(timer.id);
        time = timer.due;
        timer.callback();
      }
      time = target;
    },
    pending: () => timers.size,
  };
}
