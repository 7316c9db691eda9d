import { MemoryLocker, type Lock, type Locker } from '@tus/server';
import { tusRequestContext } from './tusRequestContext.js';

/**
 * tus's MemoryLocker, plus: when tus aborts a request or another request asks for its lock, the
 * request's context is interrupted. A stalled body (an injected fault) then resumes, as a real
 * server's would once tus gives up on it; a paused socket never sees the client hang up.
 */
export class InterruptingLocker implements Locker {
  private readonly inner = new MemoryLocker();

  newLock(id: string): Lock {
    const lock = this.inner.newLock(id);
    return {
      lock: (signal, requestRelease) => {
        const context = tusRequestContext.getStore();
        if (context) signal.addEventListener('abort', context.interrupt, { once: true });
        return lock.lock(signal, () => {
          context?.interrupt();
          return requestRelease();
        });
      },
      unlock: () => lock.unlock(),
    };
  }
}
