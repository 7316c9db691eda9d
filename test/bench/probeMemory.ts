import { readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { chromiumArgs, chromiumPath } from '../support/chromium.js';
import { generateFiles } from './generateFiles.js';
import { ProcessTreeSampler, ticksToSeconds } from './ProcessTreeSampler.js';

const MiB = 1024 * 1024;
/** The worker of the probe: the same round trip as lean-upload's sha256Worker (buffer transferred both ways). */
const WORKER = `onmessage = async ({ data }) => {
  const { buffer, length, piece } = data;
  for (let at = 0; at < length; at += piece) await crypto.subtle.digest('SHA-256', new Uint8Array(buffer, at, Math.min(piece, length - at)));
  postMessage(buffer, [buffer]);
};`;
const PAGE = '<!doctype html><title>memory probe</title><input type="file" id="file">';

/**
 * `w-*` (PROBE_MODES=w: all of them): the file read in a worker in parts of PROBE_PART_MIB (128, as a
 * CRC'd tus upload of 1 GiB), CRC-32 (WebAssembly) of every read, by probeMemory.worker.ts. `w-byob` is
 * lean-upload's read (readChunk: one BYOB stream per part, 1 MiB window); `-64k`/`-256k`/`-4m` set the
 * window; `w-min`: BYOB reads with `min` (a read settles once its window is full); `w-byob-window`: a
 * stream per window; `w-default`: the default reader; `w-frs`: FileReaderSync per window (`-copy`: copied
 * into the pool); `w-file-stream`: one stream of the whole file; `w-crc-only`: CRC, no read. Suffixes:
 * `-nohash` (read, no CRC), `-js` (the JavaScript CRC), `-gc` (a GC after each part, --expose-gc),
 * `-nudge` (small garbage after each part), `-warm` (hot JavaScript in the page before the baseline).
 * PROBE_RUNS: rounds over the modes; PROBE_SMAPS=1: the renderers' RSS growth per mapped file.
 */
const WORKER_MODES = [
  'w-none', 'w-byob', 'w-byob-64k', 'w-byob-256k', 'w-byob-4m', 'w-min', 'w-min-256k', 'w-min-4m', 'w-byob-window', 'w-default', 'w-frs',
  'w-file-stream', 'w-crc-only', 'w-byob-nohash', 'w-min-nohash', 'w-byob-gc', 'w-byob-nudge', 'w-byob-warm',
];
type Mode = 'read' | 'read-2mib' | 'read-one-stream' | 'digest-worker-one-stream' | 'arrayBuffer' | 'digest-main' | 'digest-worker' | 'digest-worker-1mib' | 'digest-worker-2mib' | 'worker-only';
const MODES: readonly Mode[] = ['read', 'read-2mib', 'read-one-stream', 'digest-worker-one-stream', 'arrayBuffer', 'worker-only', 'digest-main', 'digest-worker', 'digest-worker-1mib', 'digest-worker-2mib'];

/**
 * Where the browser's memory goes when a file is read in 8 MiB chunks into one reused buffer, as
 * lean-upload does, with and without SHA-256: peak RSS growth per Chromium process kind for each
 * way of reading and hashing, each in a fresh browser; for the `w-*` modes also the throughput, the
 * browser tree's CPU seconds and the renderers' anonymous / file-backed / shared RSS growth (peak/end).
 * Diagnosis for the bench's memory target.
 */
export async function probeMemory(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const mib = Number(env.PROBE_SIZE_MIB ?? '256');
  const [file] = generateFiles(`big-${mib}MiB`, 1, mib * MiB);
  if (!file) throw new Error('no file');
  const readWorker = await bundleReadWorker();
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', req.url === '/page.html' ? 'text/html' : 'text/javascript');
    res.end(req.url === '/worker.js' ? WORKER : req.url === '/read-worker.js' ? readWorker : PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rows: Record<string, string | number>[] = [];
  try {
    const runs = Number(env.PROBE_RUNS ?? '1');
    const partMiB = Number(env.PROBE_PART_MIB ?? '128');
    const modes = env.PROBE_MODES === 'w' ? WORKER_MODES : (env.PROBE_MODES?.split(',') ?? MODES);
    // Round-robin over the modes, so the machine's load falls on all of them alike.
    for (let run = 0; run < runs; run++) {
      for (const mode of modes) {
        const row = { mode, run, ...(await probeOne(origin, file.path, mode, partMiB)) };
        console.log(JSON.stringify(row));
        rows.push(row);
      }
    }
  } finally {
    server.close();
  }
  console.table(rows);
}

/** probeMemory.worker.ts and what it imports, as one classic worker script. */
async function bundleReadWorker(): Promise<string> {
  const entry = fileURLToPath(new URL('./probeMemory.worker.ts', import.meta.url));
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    build: { write: false, minify: false, lib: { entry, formats: ['iife'], name: 'probeReadWorker', fileName: 'read-worker' } },
  });
  const chunk = (Array.isArray(output) ? output[0] : output);
  if (!chunk || !('output' in chunk)) throw new Error('no bundle');
  const [first] = chunk.output;
  if (!first || first.type !== 'chunk') throw new Error('no chunk');
  return first.code;
}

async function probeOne(origin: string, filePath: string, mode: string, partMiB: number): Promise<Record<string, number | string>> {
  const args = mode.endsWith('-gc') ? [...chromiumArgs, '--js-flags=--expose-gc'] : chromiumArgs;
  const browser = await chromium.launch({ executablePath: chromiumPath, args });
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}/page.html`);
    await page.setInputFiles('#file', filePath);
    // `-warm`: the page runs hot JavaScript first (as any real app does), so the optimizing compiler's
    // code is paged in before the baseline: what is left is the read path's own growth.
    if (mode.endsWith('-warm')) await page.evaluate(warmUp);
    await page.waitForTimeout(500);
    const sampler = new ProcessTreeSampler(process.pid);
    const baseline = sampler.sample();
    const renderers = rendererPids();
    const statusBefore = rendererStatus(renderers);
    const mapsBefore = process.env.PROBE_SMAPS ? fileMappings(renderers) : undefined;
    const statusPeak: Record<string, number> = { ...statusBefore };
    const peakTimer = setInterval(() => {
      for (const [key, bytes] of Object.entries(rendererStatus(renderers))) statusPeak[key] = Math.max(statusPeak[key] ?? 0, bytes);
    }, 50);
    sampler.start(50);
    const result = mode.startsWith('w-') ? await page.evaluate(runInWorker, { mode: mode.replace(/-warm$/, ''), partMiB }) : { ms: await page.evaluate(runInPage, mode) };
    clearInterval(peakTimer);
    const statusAfter = rendererStatus(renderers);
    if (mapsBefore) {
      const after = fileMappings(renderers);
      const grew = [...after].map(([name, bytes]) => [name, Math.round((bytes - (mapsBefore.get(name) ?? 0)) / 1024)] as const).filter(([, kib]) => kib > 256);
      console.log(mode, 'file-backed RSS growth KiB by mapping:', JSON.stringify(grew.sort((a, b) => b[1] - a[1]).slice(0, 8)));
    }
    const { peakRssBytes, peakRssByKind, last } = sampler.stop();
    const ms = result.ms;
    const mbps = Math.round(fileBytes(filePath) / 1e6 / (ms / 1000));
    const growth = (kind: string): number => Math.round(((peakRssByKind[kind] ?? 0) - (baseline.rssByKind[kind] ?? 0)) / MiB);
    return { ...result, ms: Math.round(ms), mbps, cpuS: Number(ticksToSeconds(last.cpuTicks - baseline.cpuTicks).toFixed(2)), totalMiB: Math.round((peakRssBytes - baseline.rssBytes) / MiB), renderer: growth('renderer'), browser: growth('browser'), network: growth('utility:network'),
      ...Object.fromEntries(Object.keys(statusAfter).map((key) => [`${key} peak/end`, `${Math.round(((statusPeak[key] ?? 0) - (statusBefore[key] ?? 0)) / MiB)}/${Math.round(((statusAfter[key] ?? 0) - (statusBefore[key] ?? 0)) / MiB)}`])) };
  } finally {
    await browser.close();
  }
}

/** The renderers below this process (the probe's one browser). */
function rendererPids(): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      parent.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // ended meanwhile
    }
  }
  const mine = (pid: number): boolean => {
    for (let up = parent.get(pid); up; up = parent.get(up)) if (up === process.pid) return true;
    return false;
  };
  return [...parent.keys()].filter((pid) => {
    try {
      return mine(pid) && readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('--type=renderer');
    } catch {
      return false;
    }
  });
}

/** RSS per mapped file (and per anonymous kind) of `pids`, from smaps. */
function fileMappings(pids: number[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const pid of pids) {
    let name = '';
    for (const line of readFileSync(`/proc/${pid}/smaps`, 'latin1').split('\n')) {
      const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (header) name = header[1] || '[anon]';
      const rss = /^Rss:\s+(\d+) kB/.exec(line);
      if (rss) sums.set(name, (sums.get(name) ?? 0) + Number(rss[1]) * 1024);
    }
  }
  return sums;
}

/** RssAnon / RssFile / RssShmem summed over `pids`: anonymous memory (heaps), mapped files (code), shared memory (data pipes). */
function rendererStatus(pids: number[]): Record<string, number> {
  const sums: Record<string, number> = { anon: 0, file: 0, shmem: 0 };
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'latin1');
      for (const key of ['anon', 'file', 'shmem']) {
        const match = new RegExp(`Rss${key[0]?.toUpperCase()}${key.slice(1)}:\\s+(\\d+)`).exec(status);
        sums[key] = (sums[key] ?? 0) + Number(match?.[1] ?? 0) * 1024;
      }
    } catch {
      // ended meanwhile
    }
  }
  return sums;
}

function fileBytes(filePath: string): number {
  return statSync(filePath).size;
}

/** Runs in the page: a second of hot JavaScript, a table-driven checksum over a few MiB, again and again. */
function warmUp(): number {
  const table = new Int32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });
  const bytes = new Uint8Array(4 * 1024 * 1024).map((_, i) => i * 31);
  let c = -1;
  for (const end = performance.now() + 1000; performance.now() < end; ) for (const byte of bytes) c = (table[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return c;
}

/** Runs in the page: hands the chosen file to probeMemory.worker.ts and waits for its figures. */
async function runInWorker({ mode, partMiB }: { mode: string; partMiB: number }): Promise<{ ms: number; reads: number; crc: number; buffers: number }> {
  const file = (document.getElementById('file') as HTMLInputElement).files?.[0];
  if (!file) throw new Error('no file');
  const worker = new Worker('/read-worker.js');
  await new Promise((resolve) => (worker.onmessage = resolve));
  const result = await new Promise<{ ms: number; reads: number; crc: number; buffers: number }>((resolve, reject) => {
    worker.onmessage = ({ data }) => resolve(data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage({ file, mode, partMiB });
  });
  worker.terminate();
  return result;
}

/** Runs in the page: reads the chosen file in 8 MiB (or 2 MiB) chunks into one buffer and hashes each chunk per `mode`. */
async function runInPage(mode: string): Promise<number> {
  // '-2mib' modes read (and hash) 2 MiB chunks; '-1mib' reads 8 MiB and digests it in 1 MiB pieces.
  const CHUNK = (mode.endsWith('-2mib') ? 2 : 8) * 1024 * 1024;
  const input = document.getElementById('file') as HTMLInputElement;
  const file = input.files?.[0];
  if (!file) throw new Error('no file');
  const worker = mode.startsWith('digest-worker') || mode === 'worker-only' ? new Worker('/worker.js') : undefined;
  const viaWorker = (buffer: ArrayBuffer, length: number, piece: number): Promise<ArrayBuffer> =>
    new Promise((resolve) => {
      if (!worker) throw new Error('no worker');
      worker.onmessage = ({ data }: MessageEvent<ArrayBuffer>) => resolve(data);
      worker.postMessage({ buffer, length, piece }, [buffer]);
    });
  let buffer = new ArrayBuffer(CHUNK);
  // '-one-stream' modes read every chunk from one reader of the whole file instead of a stream per slice.
  const shared = mode.endsWith('-one-stream') ? file.stream().getReader({ mode: 'byob' }) : undefined;
  const started = performance.now();
  for (let offset = 0; offset < file.size; offset += CHUNK) {
    const slice = file.slice(offset, Math.min(file.size, offset + CHUNK));
    if (mode === 'arrayBuffer') {
      new Uint8Array(buffer).set(new Uint8Array(await slice.arrayBuffer()));
    } else {
      const reader = shared ?? slice.stream().getReader({ mode: 'byob' });
      for (let filled = 0; filled < slice.size; ) {
        const { done, value } = await reader.read(new Uint8Array(buffer, filled, slice.size - filled));
        if (value) buffer = value.buffer as ArrayBuffer;
        if (done || !value) break;
        filled += value.byteLength;
      }
      if (!shared) await reader.cancel();
    }
    if (mode === 'digest-main') await crypto.subtle.digest('SHA-256', new Uint8Array(buffer, 0, slice.size));
    if (mode === 'digest-worker' || mode === 'digest-worker-2mib' || mode === 'digest-worker-one-stream') buffer = await viaWorker(buffer, slice.size, CHUNK);
    if (mode === 'digest-worker-1mib') buffer = await viaWorker(buffer, slice.size, 1024 * 1024);
    if (mode === 'worker-only') buffer = await viaWorker(buffer, 0, CHUNK);
  }
  worker?.terminate();
  return performance.now() - started;
}
