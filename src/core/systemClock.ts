import type { Clock } from './ports.js';

/**
 * The real clock, shared by the pool, the engine and the React bindings (one copy in the bundle).
 * Timer functions are looked up when called, so importing it touches no global (SSR-safe).
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
};
