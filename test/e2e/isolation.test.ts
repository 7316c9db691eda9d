import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser.js';
import { startDemoServer, type DemoServer } from './support/demoServer.js';

let server: DemoServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('the demo is cross-origin isolated, and its memory panel shows the page memory the browser measured', async () => {
  await page.goto(server.url);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  // The browser answers a measurement after its next garbage collection: up to ~20 s.
  const figure = page.locator('.page-memory strong');
  await expect.poll(async () => figure.textContent(), { timeout: 60_000, interval: 500 }).toMatch(/^[\d.,]+ (bytes|[kMGT]?B|[KMGT]iB)$/);
});
