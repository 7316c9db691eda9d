import type { Browser, Page } from 'playwright-core';
import type { GeneratorMethod } from '../../demo/testFile/generateTestFile.js';
import { launchChromium } from './support/browser.js';
import { waitForFileOutcome } from './support/demoPage.js';
import { demoUploads, startDemoServer, type DemoServer } from './support/demoServer.js';
import { expectedTestFileSha256 } from './support/expectedTestFile.js';
import { findStoredUpload, removeStoredUpload } from './support/storedUpload.js';

const MiB = 1024 * 1024;

let server: DemoServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function generateAndUpload(target: Page, expectedMethod: GeneratorMethod): Promise<void> {
  await target.goto(server.url);
  await target.getByLabel('File size', { exact: true }).selectOption({ label: '100 MiB' });
  await target.getByRole('button', { name: 'Generate test file' }).click();

  const result = target.locator('.generator-status [role="status"][data-seed]');
  await result.waitFor({ timeout: 120_000 });
  const { seed, method, size, name = '' } = await result.evaluate((element: HTMLElement) => ({ ...element.dataset }));
  expect(method).toBe(expectedMethod);
  expect(Number(size)).toBe(100 * MiB);

  const outcome = await waitForFileOutcome(target, name);
  expect(outcome, outcome.text).toMatchObject({ status: 'completed' });

  const stored = await findStoredUpload(demoUploads, name);
  expect(stored).toHaveLength(1);
  const [upload] = stored;
  try {
    expect(upload!.size).toBe(100 * MiB);
    // The generator is deterministic: Node rebuilds the same bytes from the seed shown by the page.
    expect(upload!.sha256).toBe(await expectedTestFileSha256(expectedMethod, 100 * MiB, Number(seed)));
  } finally {
    await removeStoredUpload(upload!);
  }
}

test('a 100 MiB file generated in the page (OPFS) uploads to completion, byte for byte what its seed describes', async () => {
  await generateAndUpload(page, 'opfs');
});

test('without OPFS the generator composes the file from Blob parts, and it uploads byte for byte', async () => {
  const fallback = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // What a browser without the Origin Private File System looks like to the generator.
  await fallback.addInitScript(() => {
    Reflect.deleteProperty(StorageManager.prototype, 'getDirectory');
  });
  await generateAndUpload(fallback, 'blob-parts');
  await fallback.close();
});

test('stopping a generation adds nothing and leaves no partial file behind', async () => {
  const stopped = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await stopped.goto(server.url);
  await stopped.getByLabel('File size', { exact: true }).selectOption({ label: '4 GiB' });
  await stopped.getByRole('button', { name: 'Generate test file' }).click();
  await stopped.waitForFunction(() => Number(document.querySelector('.generator-status progress')?.getAttribute('value')) > 0);
  await stopped.getByRole('button', { name: 'Stop' }).click();

  await stopped.getByRole('button', { name: 'Generate test file' }).waitFor();
  expect(await stopped.locator('.generator-status').getAttribute('data-phase')).toBe('idle');
  expect(await stopped.locator('.lu-file').count()).toBe(0);
  const leftOver = await stopped.evaluate(async () => {
    const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('lean-upload-demo');
    const names: string[] = [];
    for await (const name of folder.keys()) names.push(name);
    return names;
  });
  expect(leftOver).toEqual([]);
  await stopped.close();
});
