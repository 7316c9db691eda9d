import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createTusHandler, type TusHandler } from '../../demo/server/createTusHandler.js';

/** The checksum-verifying tus server of demo/server, on loopback, spoken to with plain fetch. */
let server: Server;
let handler: TusHandler;
let base: string;
let directory: string;

beforeEach(async () => {
  await mkdir(path.resolve('.uploads'), { recursive: true });
  directory = await mkdtemp(path.resolve('.uploads/checksum-server-'));
  handler = createTusHandler({ directory, route: '/files-checksum', checksum: true });
  server = createServer((req, res) => handler.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  handler.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(directory, { recursive: true, force: true });
});

const tus = { 'Tus-Resumable': '1.0.0' };
const octets = { ...tus, 'Content-Type': 'application/offset+octet-stream' };

function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

async function create(length: number): Promise<string> {
  const res = await fetch(`${base}/files-checksum`, { method: 'POST', headers: { ...tus, 'Upload-Length': String(length) } });
  expect(res.status).toBe(201);
  return new URL(res.headers.get('location') ?? '', base).href;
}

async function patch(url: string, offset: number, body: Uint8Array<ArrayBuffer>, checksum?: string): Promise<Response> {
  const headers: Record<string, string> = { ...octets, 'Upload-Offset': String(offset) };
  if (checksum !== undefined) headers['Upload-Checksum'] = checksum;
  return fetch(url, { method: 'PATCH', headers, body });
}

async function offsetOf(url: string): Promise<string | null> {
  return (await fetch(url, { method: 'HEAD', headers: tus })).headers.get('upload-offset');
}

const first = new TextEncoder().encode('hello, ');
const second = new TextEncoder().encode('checksummed world');

describe("the demo's checksum route (TusChecksumStore over its FileStore) behind @tus/server", () => {
  test('OPTIONS advertises the checksum extension and its algorithms', async () => {
    const res = await fetch(`${base}/files-checksum`, { method: 'OPTIONS' });
    expect(res.headers.get('tus-extension')?.split(',')).toContain('checksum');
    expect(res.headers.get('tus-checksum-algorithm')).toBe('sha1,sha256,crc32');
  });

  test('a matching checksum is stored; a wrong one is refused with 460 and the offset does not move', async () => {
    const url = await create(first.length + second.length);
    expect((await patch(url, 0, first, `sha256 ${digest(first)}`)).status).toBe(204);
    const refused = await patch(url, first.length, second, `sha256 ${digest(first)}`);
    expect(refused.status).toBe(460);
    expect(await offsetOf(url)).toBe(String(first.length));
    expect((await stat(path.join(directory, url.split('/').pop() ?? ''))).size).toBe(first.length);
    const accepted = await patch(url, first.length, second, `sha256 ${digest(second)}`);
    expect(accepted.headers.get('upload-offset')).toBe(String(first.length + second.length));
    const stored = await readFile(path.join(directory, url.split('/').pop() ?? ''));
    expect(stored.toString()).toBe('hello, checksummed world');
  });

  test('no Upload-Checksum: the part is stored unverified (the header is optional per request)', async () => {
    const url = await create(first.length);
    const res = await patch(url, 0, first);
    expect(res.status).toBe(204);
    expect(res.headers.get('upload-offset')).toBe(String(first.length));
  });

  test('an algorithm not offered or a malformed header is a 400, nothing stored', async () => {
    const url = await create(first.length);
    expect((await patch(url, 0, first, `md5 ${digest(first)}`)).status).toBe(400);
    expect((await patch(url, 0, first, 'sha256')).status).toBe(400);
    expect(await offsetOf(url)).toBe('0');
  });

  test('a creating POST whose body fails its checksum leaves no upload behind', async () => {
    const res = await fetch(`${base}/files-checksum`, {
      method: 'POST',
      headers: { ...octets, 'Upload-Length': String(first.length), 'Upload-Checksum': `sha256 ${digest(second)}` },
      body: first,
    });
    expect(res.status).toBe(460);
    const ids = handler.log.filter((e) => e.method === 'POST');
    expect(ids).toHaveLength(1);
    expect(await readdir(directory)).toEqual([]);
  });

  test('an injected 503 answers with Retry-After and leaves the upload alone', async () => {
    const url = await create(first.length);
    handler.faults.failNext({ method: 'PATCH', status: 503, retryAfter: 2 });
    const res = await patch(url, 0, first, `sha256 ${digest(first)}`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await offsetOf(url)).toBe('0');
    expect((await patch(url, 0, first, `sha256 ${digest(first)}`)).status).toBe(204);
  });
});
