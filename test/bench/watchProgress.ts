import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ProgressWatch {
  /** Rejects when the progress figure has not changed for `idleMs`. */
  stalled: Promise<never>;
  stop(): void;
}

/**
 * Ends a run early when nothing moves: no request started or ended and no stored byte was added
 * for `idleMs`. A broken contender then costs seconds, not the generous overall time limit.
 */
export function watchProgress(progress: () => number, idleMs = 30_000, pollMs = 2_000): ProgressWatch {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    let last = progress();
    let lastChange = Date.now();
    timer = setInterval(() => {
      const now = progress();
      if (now !== last) {
        last = now;
        lastChange = Date.now();
      } else if (Date.now() - lastChange >= idleMs) {
        clearInterval(timer);
        reject(new Error(`no request and no stored byte for ${Math.round(idleMs / 1000)} s`));
      }
    }, pollMs);
  });
  stalled.catch(() => undefined); // observed by the race in runContender; never unhandled
  return { stalled, stop: () => clearInterval(timer) };
}

/** Bytes stored under a tus route's directory (uploads and their .json info files). */
export function storedBytes(directory: string): number {
  let total = 0;
  for (const name of readdirSync(directory)) {
    try {
      total += statSync(path.join(directory, name)).size;
    } catch {
      // deleted between listing and stat
    }
  }
  return total;
}
