/**
 * Writes a pseudo-random test file into the Origin Private File System, off the main thread so the
 * page (and any upload running in it) stays responsive. One block buffer is refilled and reused.
 * A synchronous access handle (worker-only) writes in place; createWritable() goes through a swap
 * file and took about twice as long in headless Chromium 156 (96 MiB: 2.0 s vs 1.1 s), so it is
 * only the fallback.
 */
import { PseudoRandomStream } from './PseudoRandomStream.js';
import { STOP, type WriteMessage, type WriteRequest } from './writeTestFileProtocol.js';

/** The worker-only part of the File System API (lib.dom does not declare it). */
interface SyncAccessHandle {
  write(buffer: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}

type SyncCapableHandle = FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncAccessHandle> };

function hasSyncAccess(handle: FileSystemFileHandle): handle is SyncCapableHandle {
  return typeof Reflect.get(handle, 'createSyncAccessHandle') === 'function';
}

const post = (message: WriteMessage): void => postMessage(message);

let stopRequested = false;
class Stopped extends Error {}

/** Lets the STOP message in between two blocks (a sync write loop would never see it). */
async function checkpoint(written: number): Promise<void> {
  post({ type: 'progress', written });
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (stopRequested) throw new Stopped();
}

async function write(request: WriteRequest): Promise<void> {
  const root = await navigator.storage.getDirectory();
  const folder = await root.getDirectoryHandle(request.folder, { create: true });
  try {
    await writeBlocks(await folder.getFileHandle(request.name, { create: true }), request);
  } catch (error) {
    // Only after the handle is closed can the partial file be removed.
    await folder.removeEntry(request.name).catch(() => undefined);
    throw error;
  }
}

async function writeBlocks(handle: FileSystemFileHandle, { size, seed, blockSize }: WriteRequest): Promise<void> {
  const stream = new PseudoRandomStream(seed);
  const block = new Uint8Array(Math.min(blockSize, Math.ceil(size / 4) * 4));
  const nextBlock = (written: number): Uint8Array<ArrayBuffer> => {
    const length = Math.min(block.byteLength, size - written);
    stream.fill(block.subarray(0, Math.ceil(length / 4) * 4));
    return block.subarray(0, length);
  };

  if (hasSyncAccess(handle)) {
    const access = await handle.createSyncAccessHandle();
    try {
      access.truncate(0);
      for (let written = 0; written < size; ) {
        written += access.write(nextBlock(written), { at: written });
        await checkpoint(written);
      }
      access.flush();
    } finally {
      access.close();
    }
    return;
  }
  const writable = await handle.createWritable();
  try {
    for (let written = 0; written < size; ) {
      const bytes = nextBlock(written);
      // write() has copied the bytes once it resolves, so the block can be refilled next turn.
      await writable.write(bytes);
      written += bytes.byteLength;
      await checkpoint(written);
    }
    await writable.close();
  } catch (error) {
    await writable.abort().catch(() => undefined);
    throw error;
  }
}

onmessage = (event: MessageEvent<WriteRequest | typeof STOP>) => {
  if (event.data === STOP) {
    stopRequested = true;
    return;
  }
  write(event.data).then(
    () => post({ type: 'done' }),
    (error: unknown) =>
      post(error instanceof Stopped ? { type: 'stopped' } : { type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
};
