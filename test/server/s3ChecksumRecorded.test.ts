import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Crc32c, Crc64Nvme } from '@aws-sdk/checksums/crc';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { createS3Handler, type S3Handler } from '../../src/server/index.ts';
import { chromiumArgs, chromiumPath } from '../support/chromium.ts';
import type { PageFile, PageResult } from './pages/s3Checksum.ts';
import { clientConfig, MiB, startFixture, stopFixture, storedObject, type SwiftFixture } from './s3HandlerSupport.ts';

/**
 * Swift's S3 API accepts x-amz-checksum-* and ignores them, so a wrong or missing checksum would pass
 * unseen. A recording proxy in front of Swift keeps the checksum headers each PUT carried to the engine,
 * and the test compares them with the AWS SDK's own CRC32C/CRC64NVME (and Node's SHA-256) over the bytes
 * Swift stored: the page in real Chromium computed them from pooled buffers and the signature covered them.
 */
interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
}

const pagesRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pages');
let fixture: SwiftFixture;
let proxy: http.Server;
let app: http.Server;
let handler: S3Handler;
let browser: Browser;
let page: Page;
let outDir: string;
const recorded: Recorded[] = [];

const listen = async (server: http.Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const close = (server: http.Server | undefined) => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));

/** Forwards every request to Swift unchanged (the Host header too: the signature covers it), noting PUTs. */
function recordingProxy(target: URL): http.Server {
  return http.createServer((req, res) => {
    if (req.method === 'PUT') {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name.startsWith('x-amz-checksum'))) as Record<string, string>;
      recorded.push({ method: req.method, url: req.url ?? '', headers });
    }
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
}

beforeAll(async () => {
  fixture = await startFixture('checksums');
  proxy = recordingProxy(new URL(fixture.swift.endpoint));
  const proxied = await listen(proxy);
  handler = createS3Handler({
    bucket: fixture.bucket,
    // The page's PUTs go to the proxy: the presigned URLs name it.
    s3: { ...clientConfig(fixture.swift), endpoint: proxied },
    route: '/s3',
    authorize: ({ filename }) => ({ key: `page/${filename}` }),
    mayAccess: ({ key }) => key.startsWith('page/'),
    // Swift 2.30's s3api refuses part checksums in CompleteMultipartUpload (MalformedXML).
    completeWithPartChecksums: false,
  });
  outDir = await mkdtemp(path.join(tmpdir(), 's3-checksum-page-'));
  await build({
    configFile: false,
    root: pagesRoot,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022', modulePreload: false, rolldownOptions: { input: path.join(pagesRoot, 's3Checksum.html') } },
  });
  app = http.createServer((req, res) => {
    if (handler.node(req, res)) return;
    const file = path.join(outDir, path.normalize(req.url === '/' ? '/s3Checksum.html' : (req.url ?? '')));
    if (!file.startsWith(outDir)) return void res.writeHead(404).end();
    readFile(file).then(
      (body) => res.writeHead(200, { 'Content-Type': file.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  const origin = await listen(app);
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  page = await browser.newPage();
  await page.goto(`${origin}/`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await close(app);
  await close(proxy);
  handler?.destroy();
  await stopFixture(fixture);
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

async function upload(files: PageFile[], checksumAlgorithm?: string): Promise<PageResult> {
  recorded.length = 0;
  const result = await page.evaluate(([specs, algorithm]) => (globalThis as unknown as { runUpload(f: PageFile[], a?: string): Promise<PageResult> }).runUpload(specs, algorithm), [files, checksumAlgorithm] as const);
  for (const file of result.files) expect(file.error, file.name).toBeNull();
  // The pool did the reading on S3, and gave every buffer back.
  expect(result.memory.buffersCreated).toBeGreaterThan(0);
  expect(result.memory.leasedBuffers).toBe(0);
  expect(result.memory.peakInFlightBytes).toBeLessThanOrEqual(result.memory.budgetBytes);
  return result;
}

type Digest = (bytes: Uint8Array) => Promise<string>;
const sdkDigest = (make: () => { update(data: Uint8Array): void; digest(): Promise<Uint8Array> }): Digest => async (bytes) => {
  const hash = make();
  hash.update(bytes);
  return Buffer.from(await hash.digest()).toString('base64');
};
const DIGESTS: Record<string, { header: string; digest: Digest }> = {
  crc32c: { header: 'x-amz-checksum-crc32c', digest: sdkDigest(() => new Crc32c()) },
  crc64nvme: { header: 'x-amz-checksum-crc64nvme', digest: sdkDigest(() => new Crc64Nvme()) },
  'sha-256': { header: 'x-amz-checksum-sha256', digest: async (bytes) => createHash('sha256').update(bytes).digest('base64') },
};

/** Each PUT of `name` carried the checksum Node computes over the stored bytes of its range. */
async function expectRecordedChecksums(name: string, algorithm: keyof typeof DIGESTS, sourceSha256: string, partSize = 8 * MiB): Promise<void> {
  const { bytes } = await storedObject(fixture, `page/${name}`);
  expect(createHash('sha256').update(bytes).digest('hex'), `${name} stored byte for byte`).toBe(sourceSha256);
  const { header, digest } = DIGESTS[algorithm]!;
  const puts = recorded.filter((r) => new URL(r.url, 'http://x').pathname.endsWith(`/page/${encodeURIComponent(name)}`));
  expect(puts.length, `${name}: PUTs seen by the engine`).toBeGreaterThan(0);
  for (const put of puts) {
    const partNumber = Number(new URL(put.url, 'http://x').searchParams.get('partNumber') ?? '0');
    const range = partNumber === 0 ? bytes : bytes.subarray((partNumber - 1) * partSize, partNumber * partSize);
    expect(put.headers[header], `${name} part ${partNumber}: ${header}`).toBe(await digest(range));
    // Part of the signed request: the presigned URL's signature covers the header.
    expect(new URL(put.url, 'http://x').searchParams.get('X-Amz-SignedHeaders')?.split(';'), `${name} part ${partNumber}: signed headers`).toContain(header);
  }
}

test('checksum auto: every part and single PUT carried the CRC32C of its stored bytes to the engine', async () => {
  const files = [
    { name: 'multi-20MiB.bin', size: 20 * MiB + 5, seed: 11 },
    { name: 'single-1MiB.bin', size: MiB, seed: 12 },
    { name: 'empty.bin', size: 0, seed: 13 },
  ];
  const result = await upload(files);
  for (const [i, file] of files.entries()) await expectRecordedChecksums(file.name, 'crc32c', result.files[i]!.sha256);
  // 3 parts + 2 single PUTs, each with its checksum
  expect(recorded).toHaveLength(5);
});

test.each(['crc64nvme', 'sha-256'] as const)('checksumAlgorithm %s: the same, with its header and digest', async (algorithm) => {
  const files = [
    { name: `multi-${algorithm}.bin`, size: 9 * MiB, seed: 21 },
    { name: `single-${algorithm}.bin`, size: 300_001, seed: 22 },
  ];
  const result = await upload(files, algorithm);
  for (const [i, file] of files.entries()) await expectRecordedChecksums(file.name, algorithm, result.files[i]!.sha256);
});
