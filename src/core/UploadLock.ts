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
 * Run `task` while holding the lock named `name`. When another holder has it, `onWait(true)` is called
 * and the task starts once that holder lets go (its tab closed, its upload finished or paused);
 * `onWait(false)` when the wait ends, granted or given up. Resolves
 * without running the task when `signal` aborts during the wait. Without locks (null, or a lock
 * manager that refuses: opaque origins throw SecurityError), the task runs at once: never block an
 * upload on a missing feature.
 */
export async function withUploadLock(
  locks: UploadLocks | null,
  name: string,
  signal: AbortSignal,
  onWait: (waiting: boolean) => void,
  task: () => Promise<void>,
): Promise<void> {
  if (!locks) return task();
  if (signal.aborted) return;
  let release = (): void => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  // Resolves whether the lock was granted (then held until release()), or `failed` when the request throws.
  const ask = <F>(options: { ifAvailable?: boolean; signal?: AbortSignal }, failed: F) =>
    new Promise<boolean | F>((resolve) => {
      const hold = (lock: object | null): Promise<void> | undefined => {
        resolve(lock !== null);
        return lock ? held : undefined;
      };
      locks.request(name, options, hold).catch(() => resolve(failed));
    });
  // ifAvailable may not be combined with a signal: ask once without waiting, then wait with the signal.
  let granted = await ask({ ifAvailable: true }, null);
  if (granted === null) return task();
  if (!granted) {
    if (signal.aborted) return;
    onWait(true);
    // The request rejects with an AbortError when the signal aborts while waiting (pause, cancel,
    // destroy): not granted.
    granted = await ask({ signal }, false);
    onWait(false);
    if (!granted) return;
  }
  try {
    await task();
  } finally {
    release();
  }
}
