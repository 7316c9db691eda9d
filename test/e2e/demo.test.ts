import { randomBytes, createHash, randomUUID } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser.js';
import {
  chooseSetting,
  fileInput,
  memoryCounter,
  memorySamples,
  readMeter,
  startMemorySampler,
  waitForFileOutcome,
} from './support/demoPage.js';
import { demoUploads, startDemoServer, type DemoServer } from './support/demoServer.js';
import { findStoredUpload, removeStoredUpload } from './support/storedUpload.js';

const MiB = 1024 * 1024;

let server: DemoServer;
let browser: Browser;
let page: Page;
let scratch: string;

beforeAll(async () => {
  [server, browser, scratch] = await Promise.all([
    startDemoServer(),
    launchChromium(),
    mkdtemp(path.join(tmpdir(), 'lean-upload-e2e-')),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test('a 44 MiB file chosen in the demo is stored byte for byte, through the pool, which ends empty', async () => {
  const name = `e2e-${randomUUID()}.bin`;
  const source = path.join(scratch, name);
  const bytes = randomBytes(44 * MiB + 12_345);
  await writeFile(source, bytes);
  const sourceSha256 = createHash('sha256').update(bytes).digest('hex');

  await page.goto(server.url);
  await chooseSetting(page, 'Server', 'tus, verifies checksums');
  await chooseSetting(page, 'Checksum', 'SHA-256 on every chunk');
  // The settings remount the uploader; wait for the fresh widget before sampling its meter.
  await fileInput(page).waitFor({ state: 'attached' });
  await startMemorySampler(page);

  await fileInput(page).setInputFiles(source);
  const outcome = await waitForFileOutcome(page, name);
  expect(outcome, outcome.text).toMatchObject({ status: 'completed' });

  const stored = await findStoredUpload(demoUploads, name);
  expect(stored).toHaveLength(1);
  const [upload] = stored;
  try {
    expect(path.relative(demoUploads, upload!.path).split(path.sep)[0]).toBe('files-checksum');
    expect(upload!.size).toBe(bytes.byteLength);
    expect(upload!.sha256).toBe(sourceSha256);
  } finally {
    await removeStoredUpload(upload!);
  }

  // The snapshot is coalesced, so the meter may lag the last release by one update.
  await expect.poll(() => memoryCounter(page, 'leasedBuffers')).toBe(0);
  const readings = (await memorySamples(page)).map((sample) => ({ ...readMeter(sample.summary), uploading: sample.uploading }));
  // Bytes in flight change faster than the meter renders (~10/s), so the render that lands while a
  // chunk is hashed is luck; the peak the meter shows while the file is still uploading is not.
  expect(Math.max(...readings.filter((r) => r.uploading).map((r) => Math.max(r.peak, r.inFlight)))).toBeGreaterThan(0);
  for (const reading of readings) expect(reading.inFlight).toBeLessThanOrEqual(reading.budget);
  // "In flight" shows the last second's peak, so it reads 0 once a second has passed without bytes.
  await expect.poll(async () => readMeter((await memorySamples(page)).at(-1)?.summary ?? '').inFlight, { timeout: 10_000 }).toBe(0);
  expect(await memoryCounter(page, 'leaksDetected')).toBe(0);
});

test('the page runs no inline script, and its policy refuses one', async () => {
  await page.goto(server.url);
  await fileInput(page).waitFor({ state: 'attached' });
  expect(await page.locator('script:not([src])').count()).toBe(0);

  const refused = page.waitForEvent('console', (message) => message.text().includes('Content Security Policy'));
  await page.addScriptTag({ content: 'window.inlineScriptRan = true;' }).catch(() => undefined);
  await refused;
  expect(await page.evaluate(() => Reflect.get(window, 'inlineScriptRan'))).toBeUndefined();
});

test('settings are locked while a file uploads; once idle, a change starts a fresh uploader', async () => {
  const name = `e2e-${randomUUID()}.bin`;
  const source = path.join(scratch, name);
  await writeFile(source, randomBytes(12 * MiB));
  await page.goto(server.url);
  const partSize = page.getByLabel('Part size', { exact: true });
  await partSize.selectOption({ label: '4 MiB' });
  // Hold the first request that carries bytes, so the upload is surely in progress while we look.
  const faults = server.tus.handler('/files-checksum').faults;
  faults.stallNext({ method: 'POST', afterBytes: 1024, ms: 2000 });
  faults.stallNext({ method: 'PATCH', afterBytes: 1024, ms: 2000 });

  await fileInput(page).setInputFiles(source);
  await page.locator('.lu-file[data-status="uploading"]').waitFor();
  await expect.poll(() => partSize.isDisabled()).toBe(true);
  expect(await page.locator('#settings-note').textContent()).toContain('locked');

  expect(await waitForFileOutcome(page, name)).toMatchObject({ status: 'completed' });
  faults.clear();
  await expect.poll(() => partSize.isDisabled()).toBe(false);
  await partSize.selectOption({ label: '8 MiB' });
  // A new uploader: the list is empty, and the meter starts from a fresh pool.
  await expect.poll(() => page.locator('.lu-file').count()).toBe(0);
  expect(await memoryCounter(page, 'buffersCreated')).toBe(0);
  for (const upload of await findStoredUpload(demoUploads, name)) await removeStoredUpload(upload);
});

test('after a page reload mid-upload, choosing the same file again resumes from the server\'s offset and stores it byte for byte', async () => {
  const name = `e2e-reload-${randomUUID()}.bin`;
  const source = path.join(scratch, name);
  const bytes = randomBytes(40 * MiB + 4321);
  await writeFile(source, bytes);
  await page.goto(server.url);
  // The first part's PATCH (right after the creating POST) is held mid-body: the page reloads while
  // the very first part is on the wire, with only the new upload's URL in localStorage.
  const faults = server.tus.handler('/files-checksum').faults;
  faults.stallNext({ method: 'PATCH', afterBytes: 1024, ms: 60_000 });
  const held = page.waitForRequest((request) => request.method() === 'PATCH');
  await fileInput(page).setInputFiles(source);
  await held;
  // The new upload's URL is kept as soon as the first part's bytes flow (URLs only, nothing else).
  await expect
    .poll(() => page.evaluate(() => Object.values(localStorage).filter((v) => v.includes('/files-checksum/')).length))
    .toBe(1);
  await page.reload();
  faults.clear();

  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.method()));
  await fileInput(page).setInputFiles(source);
  const outcome = await waitForFileOutcome(page, name);
  expect(outcome, outcome.text).toMatchObject({ status: 'completed' });
  expect(outcome.text).toContain('resumed');
  // Resumed: asked the server where it stood, created nothing new.
  expect(requests).toContain('HEAD');
  expect(requests).not.toContain('POST');
  await expect.poll(() => memoryCounter(page, 'leasedBuffers')).toBe(0);

  const stored = await findStoredUpload(demoUploads, name);
  expect(stored).toHaveLength(1);
  try {
    expect(stored[0]!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  } finally {
    for (const upload of stored) await removeStoredUpload(upload);
  }
});

/**
 * Chooses the server `choice` in the demo's settings, uploads a fresh file of `size` random bytes through the page
 * and waits until its row says completed; gives its name, its bytes and every request the page made.
 */
async function uploadThrough(choice: string, prefix: string, size: number): Promise<{ name: string; bytes: Buffer; requests: string[] }> {
  const name = `${prefix}-${randomUUID()}.bin`;
  const source = path.join(scratch, name);
  const bytes = randomBytes(size);
  await writeFile(source, bytes);

  await page.goto(server.url);
  await chooseSetting(page, 'Server', choice);
  await fileInput(page).waitFor({ state: 'attached' });
  const requests: string[] = [];
  page.on('request', (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`));

  await fileInput(page).setInputFiles(source);
  const outcome = await waitForFileOutcome(page, name);
  expect(outcome, outcome.text).toMatchObject({ status: 'completed' });
  return { name, bytes, requests };
}

/** Keys of the stored S3 objects whose name (after the demo's UUID/) is `name`, listed through the S3 API. */
async function findS3Objects(name: string): Promise<string[]> {
  const { client, bucket } = await server.s3.backend();
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((object) => object.Key ?? '').filter((key) => key.endsWith(`/${name}`));
}

async function s3ObjectSha256(key: string, bucket?: string): Promise<string> {
  const backend = await server.s3.backend();
  const { Body } = await backend.client.send(new GetObjectCommand({ Bucket: bucket ?? backend.bucket, Key: key }));
  return createHash('sha256').update(await Body!.transformToByteArray()).digest('hex');
}

test('with the S3 server chosen, a 20 MiB file goes up as a multipart upload and is stored byte for byte', async () => {
  const { name, bytes, requests } = await uploadThrough('S3 multipart (OpenStack Swift)', 'e2e-s3', 20 * MiB + 777);

  const stored = await findS3Objects(name);
  expect(stored).toHaveLength(1);
  expect(await s3ObjectSha256(stored[0]!)).toBe(createHash('sha256').update(bytes).digest('hex'));
  // Created, parts PUT straight to the S3 server, completed; the tus routes saw nothing.
  expect(requests.filter((r) => r === 'POST /s3/multipart')).toHaveLength(1);
  expect(requests.filter((r) => r.startsWith('PUT ')).length).toBeGreaterThan(1);
  expect(requests.some((r) => r.includes('/files'))).toBe(false);
  await expect.poll(() => memoryCounter(page, 'leasedBuffers')).toBe(0);
});

/** The tus upload ids on S3 (@tus/s3-store keeps `<id>.info` beside `<id>`) whose filename is `name`. */
async function findTusS3Uploads(name: string): Promise<string[]> {
  const { client } = await server.s3.backend();
  const listed = await client.send(new ListObjectsV2Command({ Bucket: 'tus-uploads' }));
  const found: string[] = [];
  for (const key of (listed.Contents ?? []).map((o) => o.Key ?? '').filter((k) => k.endsWith('.info'))) {
    const info = await client.send(new GetObjectCommand({ Bucket: 'tus-uploads', Key: key }));
    const { metadata } = JSON.parse(await info.Body!.transformToString()) as { metadata?: { filename?: string } };
    if (metadata?.filename === name) found.push(key.slice(0, -'.info'.length));
  }
  return found;
}

test('with tus stored on S3 chosen, a 12 MiB file goes through @tus/s3-store to Swift, byte for byte', async () => {
  const { name, bytes, requests } = await uploadThrough('tus, stored on S3 (@tus/s3-store)', 'e2e-tus-s3', 12 * MiB + 99);

  const stored = await findTusS3Uploads(name);
  expect(stored).toHaveLength(1);
  expect(await s3ObjectSha256(stored[0]!, 'tus-uploads')).toBe(createHash('sha256').update(bytes).digest('hex'));
  expect(requests.filter((r) => r.startsWith('PATCH /files-s3/')).length).toBeGreaterThan(0);
  await expect.poll(() => memoryCounter(page, 'leasedBuffers')).toBe(0);
});

test('with the resumable PUT server chosen, a 12 MiB file goes up in Content-Range PUTs and is stored byte for byte', async () => {
  const { name, bytes, requests } = await uploadThrough('Resumable PUT (308)', 'e2e-put', 12 * MiB + 333);

  const stored = await findStoredUpload(path.join(path.dirname(demoUploads), 'demo-resumable'), name);
  expect(stored).toHaveLength(1);
  try {
    expect(stored[0]!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  } finally {
    await rm(stored[0]!.path, { force: true });
    await rm(`${stored[0]!.path}.json`, { force: true });
  }
  expect(requests.filter((r) => r === 'POST /resumable')).toHaveLength(1);
  expect(requests.filter((r) => r.startsWith('PUT /resumable/')).length).toBeGreaterThan(1);
  expect(requests.some((r) => r.includes('/files'))).toBe(false);
  await expect.poll(() => memoryCounter(page, 'leasedBuffers')).toBe(0);
});
