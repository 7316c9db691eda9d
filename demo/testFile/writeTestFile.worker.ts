/**
 * Writes a pseudo-random test file into the Origin Private File System, off the main thread so the
 * page (and any upload running in it) stays responsive. One block buffer is refilled and reused.
 * A synchronous access handle (worker-only) writes in place and is about twice as fast in Chromium
 * as createWritable(), which copies into a swap file first; the latter remains the fallback.
 */
import { PseudoRandomStream } from './PseudoRandomStream.js';

export interface WriteRequest {
  folder: string;
  name: string;
  size: number;
  seed: number;
  blockSize: number;
}

export type WriteMessage =
  | { type: 'progress'; written: number }
  | { type: 'done' }
  | { type: 'error'; message: string };

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

async function write({ folder, name, size, seed, blockSize }: WriteRequest): Promise<void> {
  const root = await navigator.storage.getDirectory();
  const handle = await (await root.getDirectoryHandle(folder, { create: true })).getFileHandle(name, { create: true });
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
        post({ type: 'progress', written });
      }
      access.flush();
    } finally {
      access.close();
    }
    return;
  }
  const writable = await handle.createWritable();
  for (let written = 0; written < size; ) {
    const bytes = nextBlock(written);
    // write() has copied the bytes once it resolves, so the block can be refilled next turn.
    await writable.write(bytes);
    written += bytes.byteLength;
    post({ type: 'progress', written });
  }
  await writable.close();
}

onmessage = (event: MessageEvent<WriteRequest>) => {
  write(event.data).then(
    () => post({ type: 'done' }),
    (error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
};
