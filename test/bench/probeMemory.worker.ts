/**
 * The worker of probeMemory's `w-*` modes, bundled by the probe: reads a whole file in parts, as
 * sha256Worker does for a CRC'd upload (the part's Blob read a window at a time, CRC-32 of every read in
 * the same WebAssembly), through each way of reading the probe compares. Posts back the time, the reads,
 * the CRC (all modes must agree) and the buffers this code allocated.
 */
import { crcWasm } from '../../src/core/checksums/crcWasm.js';
import { crcUpdate } from '../../src/core/checksums/crcUpdate.js';
import { readChunk } from '../../src/core/readChunk.js';

/** A worker's synchronous reader; the DOM types this project compiles with do not declare it. */
declare const FileReaderSync: new () => { readAsArrayBuffer(blob: Blob): ArrayBuffer };

interface Job {
  file: Blob;
  mode: string;
  partMiB: number;
}

const MiB = 1024 * 1024;
const crc = crcWasm();
let state = 0;
let reads = 0;
let buffers = 0;
let hashing: 'wasm' | 'js' | false = 'wasm';
let jsState: number[] = [];
const hash = (bytes: Uint8Array): void => {
  reads++;
  if (hashing === 'js') jsState = crcUpdate('crc32', jsState, bytes);
  if (hashing !== 'wasm') return;
  if (!crc) throw new Error('no WebAssembly');
  state = crc('crc32', state, bytes);
};
const lease = (size: number) => {
  buffers++;
  const made = { buffer: new ArrayBuffer(size), released: false, adopt: (buffer: ArrayBuffer) => void (made.buffer = buffer), release() {} };
  return made;
};
/** `-64k` / `-256k` / `-4m`: the window; 1 MiB (lean-upload's CRC lease) otherwise. */
const windowOf = (mode: string): number => {
  const size = /-(\d+)([km])(-gc|-nudge)?$/.exec(mode);
  return size ? Number(size[1]) * (size[2] === 'k' ? 1024 : MiB) : MiB;
};

/** Reads one part (`blob`) the way `mode` says. */
async function readPart(blob: Blob, mode: string, pool: ReturnType<typeof lease>): Promise<void> {
  const window = pool.buffer.byteLength;
  if (mode.startsWith('w-byob-window')) {
    // A stream per window: the part sliced into windows, each read into the pooled buffer.
    for (let at = 0; at < blob.size; at += window) await readChunk(blob.slice(at, at + window), pool, undefined, undefined, hash);
  } else if (mode.startsWith('w-min')) {
    await readWithMin(blob, pool);
  } else if (mode.startsWith('w-byob')) {
    await readChunk(blob, pool, undefined, undefined, hash);
  } else if (mode.startsWith('w-default')) {
    // The default reader: the browser's own chunks, hashed where they are (a new buffer each).
    const reader = blob.stream().getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) hash(next.value);
  } else if (mode.startsWith('w-frs')) {
    // FileReaderSync: a synchronous read of each window into a new ArrayBuffer; `-copy` copies it into the pool.
    const sync = new FileReaderSync();
    for (let at = 0; at < blob.size; at += window) {
      const bytes = new Uint8Array(sync.readAsArrayBuffer(blob.slice(at, at + window)));
      if (mode.includes('-copy')) {
        new Uint8Array(pool.buffer).set(bytes);
        hash(new Uint8Array(pool.buffer, 0, bytes.byteLength));
      } else hash(bytes);
    }
  } else if (mode.startsWith('w-arraybuffer')) {
    for (let at = 0; at < blob.size; at += window) hash(new Uint8Array(await blob.slice(at, at + window).arrayBuffer()));
  } else if (mode.startsWith('w-crc-only')) {
    // No read: CRC-32 of the pooled buffer as often as the part has windows (what hashing alone costs).
    for (let at = 0; at < blob.size; at += window) hash(new Uint8Array(pool.buffer, 0, Math.min(window, blob.size - at)));
  } else if (mode !== 'w-none') throw new Error(`unknown mode ${mode}`);
}

type ReadWithMin = (view: Uint8Array<ArrayBuffer>, options: { min: number }) => Promise<ReadableStreamReadResult<Uint8Array<ArrayBuffer>>>;

/** BYOB reads that settle only once the view is full (`min`, Streams spec 2023): one read per window. */
async function readWithMin(blob: Blob, pool: ReturnType<typeof lease>): Promise<void> {
  const reader = blob.stream().getReader({ mode: 'byob' });
  const read = reader.read.bind(reader) as unknown as ReadWithMin;
  const window = pool.buffer.byteLength;
  for (let filled = 0; filled < blob.size; ) {
    const length = Math.min(window, blob.size - filled);
    const { done, value } = await read(new Uint8Array(pool.buffer, 0, length), { min: length });
    if (value) pool.adopt(value.buffer);
    if (done || !value) break;
    hash(value);
    filled += value.byteLength;
  }
  await reader.cancel();
}

/** One BYOB stream of the whole file, each part read from it at its offset (the parts are in order). */
async function readWholeStream(file: Blob, pool: ReturnType<typeof lease>): Promise<void> {
  const reader = file.stream().getReader({ mode: 'byob' });
  const window = pool.buffer.byteLength;
  for (;;) {
    const { done, value } = await reader.read(new Uint8Array(pool.buffer, 0, window));
    if (value) pool.adopt(value.buffer as ArrayBuffer);
    if (done || !value) break;
    hash(value);
  }
}

let sink: unknown;
function nudge(): void {
  for (let i = 0; i < 65536; i++) sink = { i, next: sink && i % 64 ? sink : null };
  sink = null;
}

self.onmessage = async ({ data }: MessageEvent<Job>) => {
  const { file, mode, partMiB } = data;
  state = reads = buffers = 0;
  // `-nohash`: read only, no CRC (what reading alone costs).
  // `-js`: the JavaScript CRC (crcUpdate) instead of the WebAssembly one.
  hashing = mode.includes('-nohash') ? false : mode.includes('-js') ? 'js' : 'wasm';
  jsState = [];
  const pool = lease(windowOf(mode));
  const started = performance.now();
  if (mode.startsWith('w-file-stream')) await readWholeStream(file, pool);
  else {
    for (let at = 0; at < file.size; at += partMiB * MiB) {
      await readPart(file.slice(at, at + partMiB * MiB), mode.replace(/-(gc|nudge|nohash|js)$/, ''), pool);
      // Diagnostics: `-gc` collects after every part (Chromium started with --expose-gc), an upper bound
      // of what a collection could give back; `-nudge` makes ~2 MiB of small garbage, a young-generation GC.
      const global = self as unknown as { gc?: () => void };
      if (mode.endsWith('-gc')) global.gc?.();
      if (mode.endsWith('-nudge')) nudge();
    }
  }
  self.postMessage({ ms: performance.now() - started, reads, crc: hashing === 'js' ? (jsState[0] ?? 0) >>> 0 : state >>> 0, buffers });
};
self.postMessage('ready');
