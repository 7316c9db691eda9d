// What each checksum costs the browser: SHA-256 (SubtleCrypto, which copies its input) against the
// CRCs of src/core/checksums in plain TypeScript, each run in a dedicated worker on 8 MiB buffers
// transferred there and back, as LeaseHasher does. Reports MB/s and the CPU the whole Chromium
// process tree spent per GiB (from /proc), so copies and thread hops are counted, not only the loop.
// Then the verified path's reading: a file on disk read slice by slice into one 8 MiB buffer through a
// BYOB reader (as readChunk does), alone and followed by each digest in the worker.
// Run: node test/bench/probeChecksums.mjs [GiB per algorithm, default 1]   (honours CHROMIUM_PATH)
import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { chromium } from 'playwright-core';
import ts from 'typescript';

const GIB = Number(process.argv[2] ?? 1);
const source = (name) =>
  ts.transpileModule(readFileSync(new URL(`../../src/core/checksums/${name}`, import.meta.url), 'utf8'), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
const WORKER = `import { crcUpdate } from './checksums/crcUpdate.js';
onmessage = async ({ data: { algorithm, buffer } }) => {
  const bytes = new Uint8Array(buffer);
  if (algorithm === 'sha-256') await crypto.subtle.digest('SHA-256', bytes);
  else crcUpdate(algorithm, [], bytes);
  postMessage(buffer, [buffer]);
};`;
const server = http.createServer((req, res) => {
  const checksum = /^\/checksums\/(\w+)\.js$/.exec(req.url ?? '');
  res.setHeader('content-type', req.url?.endsWith('.js') ? 'text/javascript' : 'text/html');
  if (checksum) res.end(source(`${checksum[1]}.ts`));
  else res.end(req.url === '/worker.js' ? WORKER : '<!doctype html><title>checksum probe</title>');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

/** CPU ticks (1/100 s) of every process below this one: the Chromium that playwright launched. */
function treeTicks() {
  const stats = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, { ppid }] of stats) if (!mine.has(pid) && mine.has(ppid)) grew = mine.add(pid) !== undefined;
  }
  let ticks = 0;
  for (const pid of mine) if (pid !== process.pid) ticks += stats.get(pid)?.ticks ?? 0;
  return ticks;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  // SubtleCrypto exists only in secure contexts: http://127.0.0.1 is one, about:blank is not.
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.evaluate(() => {
    const worker = new Worker('/worker.js', { type: 'module' });
    const buffers = Array.from({ length: 4 }, () => {
      const bytes = new Uint8Array(8 * 1024 * 1024);
      for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
      return bytes.buffer;
    });
    globalThis.runHashes = async (algorithm, count) => {
      const started = performance.now();
      for (let n = 0; n < count; n++) {
        const buffer = buffers[n % buffers.length];
        buffers[n % buffers.length] = await new Promise((resolve) => {
          worker.onmessage = ({ data }) => resolve(data);
          worker.postMessage({ algorithm, buffer }, [buffer]);
        });
      }
      return performance.now() - started;
    };
  });
  const rows = [];
  for (const algorithm of ['sha-256', 'crc32', 'crc32c', 'crc64nvme', 'sha-256', 'crc32', 'crc32c', 'crc64nvme']) {
    await page.evaluate((a) => globalThis.runHashes(a, 8), algorithm); // warm-up: tables, JIT
    const count = Math.round(GIB * 128);
    const before = treeTicks();
    const ms = await page.evaluate(([a, n]) => globalThis.runHashes(a, n), [algorithm, count]);
    const cpuSeconds = (treeTicks() - before) / 100;
    const gib = (count * 8) / 1024;
    rows.push({ algorithm, MBps: Math.round((gib * 1073.741824 * 1000) / ms), cpuSecondsPerGiB: +(cpuSeconds / gib).toFixed(2) });
  }
  console.table(rows);
  await probeReads(page, Math.max(1, Math.round(GIB * 512)));
} finally {
  await browser.close();
  server.close();
}

/** CPU per GiB of reading a real file into the pooled buffer, then hashing it in the worker. */
async function probeReads(page, mib) {
  const file = path.join(tmpdir(), `probe-read-${process.pid}.bin`);
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < mib; i++) {
    for (let j = 0; j < block.length; j += 4) block.writeUInt32LE((i * 2654435761 + j) >>> 0, j);
    writeSync(fd, block);
  }
  closeSync(fd);
  try {
    await page.setContent('<input type="file">');
    await page.setInputFiles('input', file);
    await page.evaluate(() => {
      // For comparison: arrayBuffer() per slice allocates a new buffer each time (no pool), one call each.
      globalThis.readCopies = async () => {
        const picked = document.querySelector('input').files[0];
        for (let start = 0; start < picked.size; start += 8 * 1024 * 1024) await picked.slice(start, start + 8 * 1024 * 1024).arrayBuffer();
      };
      globalThis.readAll = async (algorithm) => {
        const picked = document.querySelector('input').files[0];
        const worker = globalThis.probeWorker ?? (globalThis.probeWorker = new Worker('/worker.js', { type: 'module' }));
        let buffer = new ArrayBuffer(8 * 1024 * 1024);
        for (let start = 0; start < picked.size; start += buffer.byteLength) {
          const reader = picked.slice(start, start + buffer.byteLength).stream().getReader({ mode: 'byob' });
          let filled = 0;
          for (;;) {
            const { value, done } = await reader.read(new Uint8Array(buffer, filled));
            if (done) break;
            buffer = value.buffer;
            filled += value.byteLength;
            if (filled === buffer.byteLength) break;
          }
          reader.releaseLock();
          if (algorithm) {
            buffer = await new Promise((resolve) => {
              worker.onmessage = ({ data }) => resolve(data);
              worker.postMessage({ algorithm, buffer }, [buffer]);
            });
          }
        }
      };
    });
    const rows = [];
    for (const algorithm of [null, 'crc32', 'sha-256', 'arrayBuffer', null, 'crc32', 'sha-256', 'arrayBuffer']) {
      const before = treeTicks();
      const started = performance.now();
      if (algorithm === 'arrayBuffer') await page.evaluate(() => globalThis.readCopies());
      else await page.evaluate((a) => globalThis.readAll(a), algorithm);
      const ms = performance.now() - started;
      const gib = mib / 1024;
      rows.push({ path: algorithm === 'arrayBuffer' ? 'arrayBuffer() per slice' : algorithm ? `read + ${algorithm}` : 'read only (BYOB into one buffer)', MBps: Math.round((mib * 1.048576 * 1000) / ms), cpuSecondsPerGiB: +((treeTicks() - before) / 100 / gib).toFixed(2) });
    }
    console.table(rows);
  } finally {
    rmSync(file, { force: true });
  }
}
