import type { OnlineSource } from '../../src/core/onlineGate.js';

export interface FakeOnline extends OnlineSource {
  /** Go online or offline, telling every subscriber, as the browser's events would. */
  set(online: boolean): void;
  listeners(): number;
}

export function createFakeOnline(initial = true): FakeOnline {
  let online = initial;
  const listeners = new Set<() => void>();
  return {
    online: () => online,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    set(value) {
      online = value;
      for (const listener of [...listeners]) listener();
    },
    listeners: () => listeners.size,
  };
}
