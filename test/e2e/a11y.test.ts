import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser.js';
import { chooseSetting, fileInput, waitForFileOutcome } from './support/demoPage.js';
import { demoUploads, repoRoot, startDemoServer, type DemoServer } from './support/demoServer.js';
import { findStoredUpload, removeStoredUpload } from './support/storedUpload.js';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

let server: DemoServer;
let browser: Browser;
let axeSource: string;
let scratch: string;

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  [server, browser, axeSource, scratch] = await Promise.all([
    startDemoServer(),
    launchChromium(),
    readFile(require.resolve('axe-core/axe.min.js'), 'utf8'),
    mkdtemp(path.join(tmpdir(), 'lean-upload-a11y-')),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Injects axe-core (test-only; the demo itself has no inline script) and lists what it finds. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations.flatMap((v) =>
    v.nodes.map((node) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} at ${JSON.stringify(node.target)}`),
  );
}

async function openDemo(width: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  // bypassCSP: the demo's policy (script-src 'self') would rightly refuse the injected axe script.
  // Reduced motion: axe judges colours at rest. A theme switch otherwise fades the drop area's background
  // over --lu-duration, and a check inside that fade saw light text on a still-dark surface.
  const page = await browser.newPage({ viewport: { width, height: 900 }, bypassCSP: true, colorScheme, reducedMotion: 'reduce' });
  await page.goto(server.url);
  await fileInput(page).waitFor({ state: 'attached' });
  return page;
}

test.each([1280, 390])('the idle demo has no axe violations at %i px', async (width) => {
  const page = await openDemo(width);
  expect(await axeViolations(page)).toEqual([]);
  await page.close();
});

test('the demo with a completed upload has no axe violations, and a screenshot is saved', async () => {
  const page = await openDemo(1280);
  const name = `a11y-${randomUUID()}.bin`;
  const source = path.join(scratch, name);
  await writeFile(source, randomBytes(3 * 1024 * 1024));
  await fileInput(page).setInputFiles(source);
  expect(await waitForFileOutcome(page, name)).toMatchObject({ status: 'completed' });

  expect(await axeViolations(page)).toEqual([]);

  const artifacts = path.join(repoRoot, '.artifacts');
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, 'demo.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 900 });
  await page.screenshot({ path: path.join(artifacts, 'demo-390.png'), fullPage: true });
  await page.close();
  for (const upload of await findStoredUpload(demoUploads, name)) await removeStoredUpload(upload);
});

test('in both themes (from the system, and chosen against it) the demo with a finished upload has no axe violations', async () => {
  const page = await openDemo(1280, 'dark');
  const name = `a11y-dark-${randomUUID()}.bin`;
  const source = path.join(scratch, name);
  await writeFile(source, randomBytes(256 * 1024));
  await fileInput(page).setInputFiles(source);
  expect(await waitForFileOutcome(page, name)).toMatchObject({ status: 'completed' });
  const themed = () => page.evaluate(() => getComputedStyle(document.querySelector('.lu-uploader')!).backgroundColor);

  // The system's dark preference, with no theme chosen: the widget follows it.
  expect(await themed()).toBe('rgb(22, 24, 28)');
  expect(await axeViolations(page)).toEqual([]);

  // Chosen against the system, both ways, in another language as well.
  await chooseSetting(page, 'Theme', 'Light');
  await chooseSetting(page, 'Language', 'Deutsch');
  expect(await themed()).toBe('rgb(255, 255, 255)');
  expect(await page.locator('.lu-uploader').getAttribute('lang')).toBe('de');
  expect(await axeViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });
  await chooseSetting(page, 'Theme', 'Dark');
  expect(await themed()).toBe('rgb(22, 24, 28)');
  await page.screenshot({ path: path.join(repoRoot, '.artifacts', 'demo-dark.png'), fullPage: true });
  expect(await axeViolations(page)).toEqual([]);
  await page.close();
  for (const upload of await findStoredUpload(demoUploads, name)) await removeStoredUpload(upload);
});
