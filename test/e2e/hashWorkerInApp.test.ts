import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { build, createServer, preview, type InlineConfig, type Plugin, type PreviewServer } from 'vite';
import { createTusHandler, type TusHandler } from '../../demo/server/createTusHandler.js';
import { buildPackage } from '../bench/bundleSize.mjs';
import { launchChromium } from './support/browser.js';
import { findStoredUpload } from './support/storedUpload.js';

/**
 * The library as an app gets it: built by `npm run build`'s Vite config, installed under the app's
 * node_modules, imported by name from an app whose page allows workers from its own origin only.
 * Hashing must happen in the worker there, in `vite dev` (the package pre-bundled) and in `vite build`.
 */

const MiB = 1024 * 1024;
const appFixture = path.join(import.meta.dirname, 'hashWorkerApp');

let scratch: string;
let app: string;
let uploads: string;
let tus: TusHandler;
let browser: Browser;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'lean-upload-app-'));
  app = path.join(scratch, 'app');
  uploads = path.join(scratch, 'uploads');
  await cp(appFixture, app, { recursive: true });
  [browser] = await Promise.all([launchChromium(), installLibrary(path.join(app, 'node_modules/lean-upload'))]);
  tus = createTusHandler({ route: '/files', checksum: true, directory: uploads });
});

afterAll(async () => {
  tus?.close();
  await browser?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/**
 * The package as npm would install it: the library build's output plus its package.json, built as
 * `npm run build` builds it (buildPackage sets NODE_ENV=production; under Vitest's 'test' dist would
 * import React's development JSX runtime, which no user gets).
 */
function installLibrary(directory: string): Promise<void> {
  return buildPackage(directory);
}

/** The app's own Vite setup, with the tus server (verifying Upload-Checksum) on the same origin. */
function appConfig(): InlineConfig {
  const mountTus: Plugin = {
    name: 'mount-tus',
    configureServer: (server) => void server.middlewares.use((req, res, next) => (tus.matches(req.url ?? '') ? tus.handle(req, res) : next())),
    configurePreviewServer: (server) =>
      void server.middlewares.use((req, res, next) => (tus.matches(req.url ?? '') ? tus.handle(req, res) : next())),
  };
  return {
    configFile: false,
    root: app,
    logLevel: 'warn',
    plugins: [mountTus],
    // Vite's CORS middleware would answer tus's OPTIONS itself; the page is same-origin anyway.
    server: { host: '127.0.0.1', port: 0, hmr: false, cors: false },
    preview: { host: '127.0.0.1', port: 0, cors: false },
    build: {
      outDir: path.join(scratch, 'app-dist'),
      emptyOutDir: true,
      rolldownOptions: { input: ['index.html', 'no-workers.html'].map((page) => path.join(app, page)) },
    },
  };
}

function urlOf(server: { httpServer: { address(): AddressInfo | string | null } | null }): string {
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the server reported no TCP address');
  return `http://127.0.0.1:${address.port}/`;
}

/** Runs in the page before the app: counts digests that workers post back, whoever started them, and workers the CSP refused. */
function countWorkerDigests(): void {
  const counts = { digests: 0, refused: 0 };
  Object.assign(globalThis, { hashWorkerCounts: counts });
  document.addEventListener('securitypolicyviolation', ({ effectiveDirective }) => {
    if (effectiveDirective === 'worker-src') counts.refused += 1;
  });
  const Native = globalThis.Worker;
  globalThis.Worker = class extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('message', ({ data }: MessageEvent<{ digest?: unknown } | null>) => {
        if (data?.digest instanceof ArrayBuffer) counts.digests += 1;
      });
    }
  };
}

interface Run {
  status: string | undefined;
  text: string;
  workers: string[];
  workerDigests: number;
  workersRefused: number;
  checksummedRequests: number;
}

/** Uploads 5 MiB through the app's file input; the upload must complete and be stored byte for byte. */
async function uploadThroughApp(url: string): Promise<Run> {
  const name = `app-${randomUUID()}.bin`;
  const source = path.join(scratch, name);
  const bytes = randomBytes(5 * MiB + 12_345);
  await writeFile(source, bytes);
  tus.clearLog();

  const page = await browser.newPage();
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  try {
    await page.addInitScript(countWorkerDigests);
    await page.goto(url);
    await page.getByLabel('File').setInputFiles(source);
    const output = page.locator('output[data-status]');
    await output.waitFor({ timeout: 60_000 });
    const run: Run = {
      status: await output.getAttribute('data-status') ?? undefined,
      text: await output.innerText(),
      workers,
      ...(await page.evaluate(() => {
        const { digests, refused } = (globalThis as unknown as { hashWorkerCounts: { digests: number; refused: number } }).hashWorkerCounts;
        return { workerDigests: digests, workersRefused: refused };
      })),
      checksummedRequests: tus.log.filter((entry) => entry.hadChecksum).length,
    };
    expect(run.status, run.text).toBe('completed');
    const stored = await findStoredUpload(uploads, name);
    expect(stored.map(({ size, sha256 }) => ({ size, sha256 }))).toEqual([
      { size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') },
    ]);
    return run;
  } finally {
    await page.close();
    await rm(source, { force: true });
  }
}

function expectHashedInWorker(run: Run, origin: string): void {
  // 5 MiB in 2 MiB parts, each with its Upload-Checksum verified by the server.
  expect(run.checksummedRequests).toBeGreaterThanOrEqual(3);
  // Every part's digest came back from the worker; on the main-thread fallback this is 0.
  expect(run.workerDigests, `workers started: ${JSON.stringify(run.workers)}`).toBe(run.checksummedRequests);
  // The app's own origin served it (a data: or blob: worker is what a strict CSP blocks).
  expect(run.workers.map((url) => new URL(url).origin)).toEqual([origin]);
}

describe("the app's `vite build`, served by `vite preview`", () => {
  let server: PreviewServer;
  let url: string;
  beforeAll(async () => {
    await build(appConfig());
    server = await preview(appConfig());
    url = urlOf(server);
  });
  afterAll(() => server?.close());

  test('bundles the worker as a file of the app, and every part is hashed there', async () => {
    expectHashedInWorker(await uploadThroughApp(url), new URL(url).origin);
  });

  test('where the page refuses workers, the same upload hashes on the main thread and is stored intact', async () => {
    const run = await uploadThroughApp(new URL('no-workers.html', url).href);
    expect(run.workersRefused).toBe(1);
    expect(run.workers).toEqual([]);
    expect(run.workerDigests).toBe(0);
    expect(run.checksummedRequests).toBeGreaterThanOrEqual(3);
  });
});

test('in `vite dev`, with the package pre-bundled, the worker loads from the package and hashes every part', async () => {
  const server = await createServer(appConfig());
  await server.listen();
  try {
    const url = urlOf(server);
    expectHashedInWorker(await uploadThroughApp(url), new URL(url).origin);
    // The case under test: the page got the package from node_modules/.vite/deps, not from dist/.
    expect(Object.keys(server.environments.client.depsOptimizer?.metadata.optimized ?? {})).toContain('lean-upload');
  } finally {
    await server.close();
  }
});
