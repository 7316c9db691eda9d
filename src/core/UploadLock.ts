/**
 * The part of the Web Locks API (navigator.locks) an upload needs. Locks are per origin and shared by
 * every tab, and a tab's locks are released when it closes or crashes: the right tool to let one tab
 * own a server upload that several tabs would resume from the same record.
 */
export interface UploadLocks {
  request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, callback: (lock: object | null) => Promise<void> | void): Promise<unknown>;
}

/** navigator.locks where the browser has it (secure contexts); null elsewhere (Node, SSR, plain http pages). */
export function browserLocks(): UploadLocks | null {
  return (typeof navigator !== 'undefined' && navigator.locks) || null;
}

/**
 * Run `task` while holding the lock named `name`. When another holder has it, `onWait` is called and
 * the task starts once that holder lets go (its tab closed, its upload finished or paused). Resolves
 * without running the task when `signal` aborts during the wait. Without locks (null, or a lock
 * manager that refuses: opaque origins throw SecurityError), the task runs at once: never block an
 * upload on a missing feature.
 */
export async function withUploadLock(
  locks: UploadLocks | null,
  name: string,
  signal: AbortSignal,
  onWait: () => void,
  task: () => Promise<void>,
): Promise<void> {
  if (!locks) return task();
  if (signal.aborted) return;
  let release = (): void => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const hold = (resolve: (got: boolean) => void) => (lock: object | null): Promise<void> | undefined => {
    resolve(lock !== null);
    return lock ? held : undefined;
  };
  // ifAvailable may not be combined with a signal: ask once without waiting, then wait with the signal.
  let granted = await new Promise<boolean | null>((resolve) => {
    locks.request(name, { ifAvailable: true }, hold(resolve)).catch(() => resolve(null));
  });
  if (granted === null) return task();
  if (!granted) {
    if (signal.aborted) return;
    onWait();
    // Rejects with an AbortError when the signal aborts while waiting (pause, cancel, destroy).
    granted = await new Promise<boolean>((resolve) => {
      locks.request(name, { signal }, hold(resolve)).catch(() => resolve(false));
    });
    if (!granted) return;
  }
  try {
    await task();
  } finally {
    release();
  }
}
