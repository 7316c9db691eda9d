import { onAbort } from './onAbort.js';

/**
 * Whether the browser says it has a network, and when that changes. Injected like the clock, so
 * core tests drive it with a fake; the default reads navigator.onLine and window's events.
 */
export interface OnlineSource {
  online(): boolean;
  /** Calls `listener` after every change; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** navigator.onLine and the window's 'online'/'offline' events; always online where they are missing (Node, SSR). */
export const browserOnline: OnlineSource = {
  online: () => typeof navigator === 'undefined' || navigator.onLine !== false,
  subscribe(listener) {
    const events = typeof addEventListener === 'function' ? ['online', 'offline'] : [];
    for (const name of events) addEventListener(name, listener);
    return () => events.forEach((name) => removeEventListener(name, listener));
  },
};

/**
 * Resolves true at once when online, else when the source says online again; false when `signal`
 * aborts first. A failure while offline is the browser's, not the server's: the caller waits here
 * instead of spending its retry budget and backing off, and goes on the moment the network is back.
 */
export function whenOnline(source: OnlineSource, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (source.online()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (value: boolean): void => {
      unsubscribe();
      stopAbort();
      resolve(value);
    };
    const unsubscribe = source.subscribe(() => source.online() && finish(true));
    const stopAbort = onAbort(signal, () => finish(false));
  });
}

/**
 * A signal for one attempt: aborted with `parent`, or when the source goes offline. A request under
 * way when the network drops may hang rather than fail (a dropped Wi-Fi, DevTools' offline mode): the
 * attempt stops at the 'offline' event, and the caller, seeing it is offline, waits for the network.
 */
export function abortWhenOffline(source: OnlineSource, parent: AbortSignal): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stopParent = onAbort(parent, () => controller.abort(parent.reason));
  const unsubscribe = source.subscribe(() => {
    // The caller sees this attempt's signal aborted and waits for the network: no error to describe.
    if (!source.online()) controller.abort();
  });
  return {
    signal: controller.signal,
    dispose() {
      stopParent();
      unsubscribe();
    },
  };
}
