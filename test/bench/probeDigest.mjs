// How SubtleCrypto SHA-256 behaves in this Chromium: throughput, and how long it blocks the main
// thread when called there versus in a dedicated worker (buffer transferred both ways).
// Run: node test/bench/probeDigest.mjs   (honours CHROMIUM_PATH)
import http from 'node:http';
import { chromium } from 'playwright-core';

const WORKER = `onmessage = async ({ data }) => { await crypto.subtle.digest('SHA-256', data); postMessage(data, [data]); };`;
const server = http.createServer((req, res) => {
  res.setHeader('content-type', req.url === '/worker.js' ? 'text/javascript' : 'text/html');
  res.end(req.url === '/worker.js' ? WORKER : '<!doctype html><title>digest probe</title>');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  // SubtleCrypto exists only in secure contexts: http://127.0.0.1 is one, about:blank is not.
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const rows = await page.evaluate(async () => {
    const worker = new Worker('/worker.js');
    const inWorker = (buffer) =>
      new Promise((resolve) => {
        worker.onmessage = ({ data }) => resolve(data);
        worker.postMessage(buffer, [buffer]);
      });
    const measure = async (where, mib, run) => {
      let longest = 0;
      let last = performance.now();
      const heartbeat = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
      }, 1);
      const started = performance.now();
      await run(new ArrayBuffer(mib * 1024 * 1024));
      const ms = performance.now() - started;
      // A blocked main thread shows up as a late heartbeat once it is free again.
      await new Promise((resolve) => setTimeout(resolve, 20));
      clearInterval(heartbeat);
      return { where, mib, ms: Math.round(ms), MBps: Math.round((mib * 1.048576 * 1000) / ms), mainThreadBlockedMs: Math.round(longest) };
    };
    const rows = [];
    for (const mib of [1, 8, 8, 32]) rows.push(await measure('main', mib, (buffer) => crypto.subtle.digest('SHA-256', buffer)));
    for (const mib of [1, 8, 8, 32]) rows.push(await measure('worker', mib, inWorker));
    return rows;
  });
  console.table(rows);
} finally {
  await browser.close();
  server.close();
}
