import { onAbort } from '../../src/core/onAbort.js';
import type { UploadLocks } from '../../src/core/UploadLock.js';

export interface FakeLocks extends UploadLocks {
  held(name: string): boolean;
  waiting(name: string): number;
}

/** An exclusive lock manager with the Web Locks semantics an upload relies on (ifAvailable, signal, FIFO). */
export function createFakeLocks(): FakeLocks {
  const held = new Set<string>();
  const queues = new Map<string, (() => void)[]>();
  const queueOf = (name: string): (() => void)[] => queues.get(name) ?? queues.set(name, []).get(name) ?? [];

  async function run(name: string, callback: (lock: object | null) => Promise<void> | void): Promise<void> {
    held.add(name);
    try {
      await callback({ name });
    } finally {
      held.delete(name);
      queueOf(name).shift()?.();
    }
  }

  return {
    request(name, options, callback) {
      if (!held.has(name)) return run(name, callback);
      if (options.ifAvailable) return Promise.resolve().then(() => callback(null));
      return new Promise<void>((resolve, reject) => {
        const queue = queueOf(name);
        const grant = (): void => {
          stop();
          run(name, callback).then(resolve, reject);
        };
        queue.push(grant);
        const stop = onAbort(options.signal, () => {
          queue.splice(queue.indexOf(grant), 1);
          reject(new DOMException('The request was aborted', 'AbortError'));
        });
      });
    },
    held: (name) => held.has(name),
    waiting: (name) => queueOf(name).length,
  };
}
