/**
 * A hash worker just created, and its first event: 'message' once its script runs (ready), else 'error'.
 * `dead`: its 'error' or 'messageerror', kept until LeaseHasher adopts it, even one that comes after
 * ready (a worker that dies while the hashing chunk loads must not be adopted as if it ran).
 */
export interface SpawnedWorker {
  worker: Worker;
  first: Promise<Event>;
  dead?: Event;
}

/**
 * Starts the hash worker (sha256Worker.ts) without waiting for the code that talks to it: the uploader
 * calls this beside the import of its hashing chunk, so the two scripts are fetched side by side (on a
 * 40 ms link one after the other cost a round trip, often with a handshake, before every hashed upload).
 * Its first event is caught here, on creation: one fired before a listener is set is lost, and the
 * worker's script may well arrive before the chunk that adopts it (LeaseHasher). Null where a worker
 * cannot start: no Worker (node, SSR), or a script of another origin (the package imported from a CDN),
 * which throws; a CSP refusal or a missing file comes later, as the 'error' event.
 */
export function spawnHashWorker(): SpawnedWorker | null {
  try {
    // Keep this exact expression: the library build ships it verbatim beside dist/sha256Worker.js
    // (vite.config.ts), so an app's bundler recognises it and bundles the worker as its own file.
    const worker = new Worker(new URL('./sha256Worker.js', import.meta.url), { type: 'module' });
    const spawned: SpawnedWorker = {
      worker,
      first: new Promise((resolve) => {
        worker.onmessage = resolve;
        const died = (event: Event): void => resolve((spawned.dead = event));
        worker.onerror = worker.onmessageerror = died;
      }),
    };
    return spawned;
  } catch {
    return null;
  }
}
