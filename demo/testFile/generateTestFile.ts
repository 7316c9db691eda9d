/// <reference lib="dom.asynciterable" />
import { PseudoRandomStream } from './PseudoRandomStream.js';
import { STOP, type WriteMessage, type WriteRequest } from './writeTestFileProtocol.js';

export const MiB = 1024 * 1024;
/** Generation block: large enough that the PRNG loop dominates, small enough to keep memory flat. */
export const BLOCK_SIZE = 8 * MiB;
/** Bytes of the unique header in front of each block of a Blob-parts file. */
export const HEADER_SIZE = 64;
/** Shared random blocks a Blob-parts file cycles through. */
export const SHARED_BLOCKS = 4;
const OPFS_FOLDER = 'lean-upload-demo';
const STALE_AFTER_MS = 60 * 60 * 1000;

export type GeneratorMethod = 'opfs' | 'blob-parts';

export interface GenerateTestFileOptions {
  size: number;
  seed: number;
  /** 'auto' tries the Origin Private File System first. Default 'auto'. */
  method?: GeneratorMethod | 'auto';
  onProgress?: (written: number, size: number) => void;
  signal?: AbortSignal;
}

export interface GeneratedTestFile {
  file: File;
  method: GeneratorMethod;
  seed: number;
}

export function testFileName(size: number, seed: number): string {
  const label = size >= 1024 * MiB ? `${size / (1024 * MiB)}GiB` : `${Math.round(size / MiB)}MiB`;
  return `test-${label}-${seed.toString(16).padStart(8, '0')}.bin`;
}

/**
 * Builds a test File of `size` pseudo-random bytes without ever holding it in memory: either written
 * block by block from one reused buffer to the Origin Private File System (in a worker), or, where
 * that is missing, composed from Blob parts that reference a few shared blocks.
 */
export async function generateTestFile(options: GenerateTestFileOptions): Promise<GeneratedTestFile> {
  const method = options.method ?? 'auto';
  if (method !== 'blob-parts' && supportsOpfs()) {
    try {
      return { file: await writeToOpfs(options), method: 'opfs', seed: options.seed };
    } catch (error) {
      if (method === 'opfs' || options.signal?.aborted) throw error;
      // Private windows and some browsers refuse OPFS writes (quota, SecurityError): fall back.
    }
  } else if (method === 'opfs') {
    throw new Error('This browser cannot write to the Origin Private File System');
  }
  const file = await composeFromBlobParts(options);
  return { file, method: 'blob-parts', seed: options.seed };
}

function supportsOpfs(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function' && typeof Worker === 'function';
}

/** Names written by this page; older ones are removed so test files do not pile up across visits. */
const writtenThisSession = new Set<string>();

async function writeToOpfs({ size, seed, onProgress, signal }: GenerateTestFileOptions): Promise<File> {
  signal?.throwIfAborted();
  const root = await navigator.storage.getDirectory();
  const folder = await root.getDirectoryHandle(OPFS_FOLDER, { create: true });
  await removeStaleFiles(folder);
  const name = testFileName(size, seed);
  writtenThisSession.add(name);
  try {
    await runWriter({ folder: OPFS_FOLDER, name, size, seed, blockSize: BLOCK_SIZE }, onProgress, signal);
    return await (await folder.getFileHandle(name)).getFile();
  } catch (error) {
    writtenThisSession.delete(name);
    await folder.removeEntry(name).catch(() => undefined);
    throw error;
  }
}

function runWriter(
  request: WriteRequest,
  onProgress: GenerateTestFileOptions['onProgress'],
  signal: AbortSignal | undefined,
): Promise<void> {
  const worker = new Worker(new URL('./writeTestFile.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<void>((resolve, reject) => {
    const finish = (error?: unknown): void => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    // The worker stops between blocks, closes the file and deletes it, then answers 'stopped'.
    const onAbort = (): void => worker.postMessage(STOP);
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = ({ data }: MessageEvent<WriteMessage>) => {
      if (data.type === 'progress') onProgress?.(data.written, request.size);
      else if (data.type === 'done') finish(signal?.aborted ? signal.reason : undefined);
      else if (data.type === 'stopped') finish(signal?.reason ?? new Error('stopped'));
      else finish(new Error(data.message));
    };
    worker.onerror = (event) => finish(new Error(event.message || 'the test file writer failed to start'));
    worker.postMessage(request);
  });
}

async function removeStaleFiles(folder: FileSystemDirectoryHandle): Promise<void> {
  const stale: string[] = [];
  for await (const [name, handle] of folder.entries()) {
    if (writtenThisSession.has(name) || !(handle instanceof FileSystemFileHandle)) continue;
    // Another tab may still be uploading a recent file; older ones only take disk space.
    const file = await handle.getFile().catch(() => null);
    if (!file || Date.now() - file.lastModified > STALE_AFTER_MS) stale.push(name);
  }
  await Promise.all(stale.map((name) => folder.removeEntry(name).catch(() => undefined)));
}

/**
 * The fallback layout: block i is a 64-byte text header naming the seed and block, followed by the
 * start of shared block i % 4. The browser keeps the File as references to those few Blobs.
 * Pure apart from the Blob API, so Node can rebuild the same bytes to check an upload.
 */
export async function composeFromBlobParts({ size, seed, onProgress, signal }: GenerateTestFileOptions): Promise<File> {
  const stream = new PseudoRandomStream(seed);
  const shared: Blob[] = [];
  const bytes = new Uint8Array(BLOCK_SIZE);
  for (let i = 0; i < Math.min(SHARED_BLOCKS, Math.ceil(size / BLOCK_SIZE)); i++) {
    stream.fill(bytes);
    // The Blob constructor copies, so one buffer serves every shared block.
    shared.push(new Blob([bytes]));
    // Yield so the progress bar paints while the shared blocks are filled.
    await new Promise((resolve) => setTimeout(resolve, 0));
    signal?.throwIfAborted();
  }
  const parts: Blob[] = [];
  const encoder = new TextEncoder();
  for (let start = 0, index = 0; start < size; start += BLOCK_SIZE, index++) {
    const length = Math.min(BLOCK_SIZE, size - start);
    const header = encoder.encode(blockHeader(seed, index)).subarray(0, length);
    const body = shared[index % shared.length];
    parts.push(new Blob([header]));
    if (body && length > header.byteLength) parts.push(body.slice(0, length - header.byteLength));
    onProgress?.(start + length, size);
  }
  return new File(parts, testFileName(size, seed), { type: 'application/octet-stream', lastModified: Date.now() });
}

function blockHeader(seed: number, index: number): string {
  const text = `lean-upload test file seed=${seed.toString(16).padStart(8, '0')} block=${index}`;
  return text.padEnd(HEADER_SIZE - 1, ' ') + '\n';
}

function roundUp4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
