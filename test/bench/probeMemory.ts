import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../support/chromium.js';
import { generateFiles } from './generateFiles.js';
import { ProcessTreeSampler } from './ProcessTreeSampler.js';

const MiB = 1024 * 1024;
/** The worker of the probe: the same round trip as lean-upload's sha256Worker (buffer transferred both ways). */
const WORKER = `onmessage = async ({ data }) => {
  const { buffer, length, piece } = data;
  for (let at = 0; at < length; at += piece) await crypto.subtle.digest('SHA-256', new Uint8Array(buffer, at, Math.min(piece, length - at)));
  postMessage(buffer, [buffer]);
};`;
const PAGE = '<!doctype html><title>memory probe</title><input type="file" id="file">';

type Mode = 'read' | 'read-2mib' | 'read-one-stream' | 'digest-worker-one-stream' | 'arrayBuffer' | 'digest-main' | 'digest-worker' | 'digest-worker-1mib' | 'digest-worker-2mib' | 'worker-only';
const MODES: readonly Mode[] = ['read', 'read-2mib', 'read-one-stream', 'digest-worker-one-stream', 'arrayBuffer', 'worker-only', 'digest-main', 'digest-worker', 'digest-worker-1mib', 'digest-worker-2mib'];

/**
 * Where the browser's memory goes when a file is read in 8 MiB chunks into one reused buffer, as
 * lean-upload does, with and without SHA-256: peak RSS growth per Chromium process kind for each
 * way of reading and hashing, each in a fresh browser. Diagnosis for the bench's memory target.
 */
export async function probeMemory(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const mib = Number(env.PROBE_SIZE_MIB ?? '256');
  const [file] = generateFiles(`big-${mib}MiB`, 1, mib * MiB);
  if (!file) throw new Error('no file');
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', req.url === '/worker.js' ? 'text/javascript' : 'text/html');
    res.end(req.url === '/worker.js' ? WORKER : PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rows: Record<string, string | number>[] = [];
  try {
    for (const mode of (env.PROBE_MODES?.split(',') as Mode[] | undefined) ?? MODES) rows.push({ mode, ...(await probeOne(origin, file.path, mode)) });
  } finally {
    server.close();
  }
  console.table(rows);
}

async function probeOne(origin: string, filePath: string, mode: Mode): Promise<Record<string, number>> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage();
    await page.goto(origin);
    await page.setInputFiles('#file', filePath);
    await page.waitForTimeout(500);
    const sampler = new ProcessTreeSampler(process.pid);
    const baseline = sampler.sample();
    sampler.start(50);
    const ms = await page.evaluate(runInPage, mode);
    const { peakRssBytes, peakRssByKind } = sampler.stop();
    const growth = (kind: string): number => Math.round(((peakRssByKind[kind] ?? 0) - (baseline.rssByKind[kind] ?? 0)) / MiB);
    return { ms: Math.round(ms), totalMiB: Math.round((peakRssBytes - baseline.rssBytes) / MiB), renderer: growth('renderer'), browser: growth('browser'), network: growth('utility:network') };
  } finally {
    await browser.close();
  }
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
