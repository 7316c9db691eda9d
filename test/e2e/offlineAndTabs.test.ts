import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { launchChromium } from './support/browser.js';
import { chooseSetting, fileInput, waitForFileOutcome } from './support/demoPage.js';
import { demoUploads, startDemoServer, type DemoServer } from './support/demoServer.js';
import { findStoredUpload, removeStoredUpload } from './support/storedUpload.js';

const MiB = 1024 * 1024;
const ROUTE = '/files';

let server: DemoServer;
let browser: Browser;
let scratch: string;
let context: BrowserContext;

beforeAll(async () => {
  [server, browser, scratch] = await Promise.all([startDemoServer(), launchChromium(), mkdtemp(path.join(tmpdir(), 'lean-upload-e2e-'))]);
});

beforeEach(async () => {
  // A fresh context per test: its own localStorage (resume records) and its own network state.
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
});

afterEach(async () => {
  server.tus.handler(ROUTE).faults.clear();
  await context.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A file on disk, so every page that chooses it gets the same name, size and lastModified (one resume key). */
async function sourceFile(size: number): Promise<{ name: string; file: string; sha256: string }> {
  const name = `e2e-${randomUUID()}.bin`;
  const file = path.join(scratch, name);
  const bytes = randomBytes(size);
  await writeFile(file, bytes);
  return { name, file, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The demo on the plain tus route, with no checksum (so a cut PATCH keeps the bytes that arrived). */
async function openDemo(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(server.url);
  await chooseSetting(page, 'Server', 'tus, plain');
  await chooseSetting(page, 'Checksum', 'Off');
  await fileInput(page).waitFor({ state: 'attached' });
  return page;
}

/** Upload requests (HEAD, POST, PATCH...) the page sent to the tus route. */
function tusRequests(page: Page): Request[] {
  const seen: Request[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith(ROUTE)) seen.push(request);
  });
  return seen;
}

function rowWaiting(page: Page, name: string, waiting: string): Promise<unknown> {
  return page.waitForFunction(
    ([fileName, reason]) =>
      [...document.querySelectorAll<HTMLElement>('.lu-file')].some(
        (row) => row.querySelector('.lu-file-name')?.textContent === fileName && row.dataset.waiting === reason,
      ),
    [name, waiting] as const,
    { timeout: 60_000, polling: 50 },
  );
}

async function expectStoredOnce(name: string, sha256: string, size: number): Promise<void> {
  const stored = await findStoredUpload(demoUploads, name);
  try {
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ size, sha256 });
  } finally {
    for (const upload of stored) await removeStoredUpload(upload);
  }
}

test('offline, an upload waits ("offline, waiting") and sends nothing; back online it goes on and is stored byte for byte', async () => {
  const size = 24 * MiB + 4321;
  const source = await sourceFile(size);
  const page = await openDemo();
  const requests = tusRequests(page);
  // Hold the first PATCH after 4 MiB, so the browser goes offline mid-part. DevTools' offline mode does
  // not fail a request under way (nor does a dropped Wi-Fi, often): the upload must stop it itself.
  server.tus.handler(ROUTE).faults.stallNext({ method: 'PATCH', afterBytes: 4 * MiB, ms: 120_000 });
  const firstPatch = page.waitForRequest((request) => request.method() === 'PATCH');
  await fileInput(page).setInputFiles(source.file);
  await firstPatch;

  await context.setOffline(true);
  await rowWaiting(page, source.name, 'offline');
  const row = page.locator('.lu-file', { hasText: source.name });
  await expect.poll(() => row.textContent()).toContain('offline, waiting');
  expect(await row.getAttribute('data-status')).toBe('uploading');
  const sentBefore = requests.length;
  // The default schedule retries within a second (jitter included); waiting offline sends nothing.
  await page.waitForTimeout(2500);
  expect(requests.length).toBe(sentBefore);

  await context.setOffline(false);
  const outcome = await waitForFileOutcome(page, source.name);
  expect(outcome, outcome.text).toMatchObject({ status: 'completed' });
  expect(outcome.text).not.toContain('offline');
  await expectStoredOnce(source.name, source.sha256, size);
});

test('two tabs resuming the same file: one sends, the other says "uploading in another tab" and takes over when that tab closes', async () => {
  const size = 24 * MiB + 777;
  const source = await sourceFile(size);
  const [first, second] = [await openDemo(), await openDemo()];
  const [firstRequests, secondRequests] = [tusRequests(first), tusRequests(second)];
  // The first tab's first PATCH keeps 6 MiB and then hangs until that tab goes away.
  server.tus.handler(ROUTE).faults.stallNext({ method: 'PATCH', afterBytes: 6 * MiB, ms: 120_000 });
  const firstPatch = first.waitForRequest((request) => request.method() === 'PATCH');
  await fileInput(first).setInputFiles(source.file);
  await firstPatch;
  // The resume record is kept as soon as the first part's bytes flow.
  await first.waitForFunction(() => Object.keys(localStorage).some((key) => key.startsWith('lean-upload:')), undefined, { polling: 50 });

  await fileInput(second).setInputFiles(source.file);
  await rowWaiting(second, source.name, 'other-tab');
  await expect.poll(() => second.locator('.lu-file', { hasText: source.name }).textContent()).toContain('uploading in another tab');
  expect(secondRequests).toHaveLength(0);

  await first.close();
  const outcome = await waitForFileOutcome(second, source.name);
  expect(outcome, outcome.text).toMatchObject({ status: 'completed' });
  expect(outcome.text).toContain('resumed');
  // The second tab continued the first tab's server upload: no creating POST, its first PATCH past 0.
  const methods = secondRequests.map((request) => request.method());
  expect(methods).not.toContain('POST');
  const patches = secondRequests.filter((request) => request.method() === 'PATCH');
  expect(Number(patches[0]?.headers()['upload-offset'])).toBeGreaterThan(0);
  expect(firstRequests.filter((request) => request.method() === 'PATCH').length).toBeGreaterThan(0);
  await expectStoredOnce(source.name, source.sha256, size);
});
