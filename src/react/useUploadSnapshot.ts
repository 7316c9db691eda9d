import { useCallback, useSyncExternalStore } from 'react';
import { systemClock } from '../index.js';
import type { Clock, Uploader, UploadSnapshot } from '../index.js';

/**
 * Calls `listener` at most once per `intervalMs`: at once when the last call is old enough,
 * otherwise once at the end of the interval (so the latest state is never dropped).
 */
export function throttleListener(listener: () => void, intervalMs: number, clock: Clock) {
  let last = Number.NEGATIVE_INFINITY;
  let timer: unknown = null;
  const fire = () => {
    timer = null;
    last = clock.now();
    listener();
  };
  return {
    notify() {
      if (timer !== null) return;
      const wait = last + intervalMs - clock.now();
      if (wait <= 0) fire();
      else timer = clock.setTimeout(fire, wait);
    },
    cancel() {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    },
  };
}

/**
 * Subscribes to `uploader` through useSyncExternalStore, re-rendering at most once per `throttleMs`.
 * The core already coalesces progress (progressInterval); this bound holds whatever the core is
 * configured to, and costs no latency when the core emits slower than the bound.
 */
export function useUploadSnapshot(
  uploader: Uploader,
  { throttleMs = 100, clock = systemClock }: { throttleMs?: number; clock?: Clock } = {},
): UploadSnapshot {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (throttleMs <= 0) return uploader.subscribe(onChange);
      const throttled = throttleListener(onChange, throttleMs, clock);
      const unsubscribe = uploader.subscribe(throttled.notify);
      return () => {
        throttled.cancel();
        unsubscribe();
      };
    },
    [uploader, throttleMs, clock],
  );
  const getSnapshot = useCallback(() => uploader.getSnapshot(), [uploader]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
