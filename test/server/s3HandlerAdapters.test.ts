import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  bytes, fetchStack, fileInfo, handlerFor, MiB, pageClient, putPart, sha256, startFixture, stopFixture, storedObject,
  type SwiftFixture,
} from './s3HandlerSupport.ts';

let fixture: SwiftFixture;
beforeAll(async () => {
  fixture = await startFixture('adapters');
});
afterAll(() => stopFixture(fixture));

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const close = (server: http.Server) => new Promise((resolve) => server.close(resolve));

/** One small file through the whole JSON API over real HTTP: create, sign, PUT, list, complete. */
async function uploadThrough(endpoint: string, name: string, source: Uint8Array): Promise<string> {
  const { backend, signal, headers } = pageClient(endpoint, fetchStack(), 'carol');
  const upload = await backend.createMultipartUpload(fileInfo(name, source.length), signal, headers);
  const signed = await backend.signPart({ ...upload, partNumber: 1 }, signal, headers);
  const put = await putPart(signed.url, source, signed.headers);
  expect(put.status).toBe(200);
  expect(await backend.listParts(upload, signal, headers)).toHaveLength(1);
  await backend.completeMultipartUpload({ ...upload, parts: [{ partNumber: 1, etag: put.headers.get('etag')! }] }, signal, headers);
  return upload.key;
}

test('Express 5 middleware mounted at /s3 (express.json() before it), other routes untouched', async () => {
  const handler = handlerFor(fixture);
  const app = express();
  app.use(express.json());
  app.use('/s3', handler.express);
  app.get('/s3/health', (_req, res) => void res.send('app route'));
  const server = http.createServer(app);
  const origin = await listen(server);
  try {
    const source = bytes(MiB, 3);
    const key = await uploadThrough(`${origin}/s3`, "express é !'()*.bin", source);
    expect(sha256((await storedObject(fixture, key)).bytes)).toBe(sha256(source));
    expect(await (await fetch(`${origin}/s3/health`)).text()).toBe('app route');
  } finally {
    await close(server);
    handler.destroy();
  }
});

test("Node http: handler.node answers its routes and returns false for the app's", async () => {
  const handler = handlerFor(fixture, { route: '/api/s3' });
  const server = http.createServer((req, res) => {
    if (!handler.node(req, res)) res.writeHead(418).end('app');
  });
  const origin = await listen(server);
  try {
    const source = bytes(2 * MiB, 4);
    const key = await uploadThrough(`${origin}/api/s3`, 'node.bin', source);
    expect(sha256((await storedObject(fixture, key)).bytes)).toBe(sha256(source));
    expect((await fetch(`${origin}/api/other/multipart`)).status).toBe(418);
  } finally {
    await close(server);
    handler.destroy();
  }
});

const base64 = (algorithm: string, data: Uint8Array) => createHash(algorithm).update(data).digest('base64');

test('checksums: the part and the object are signed with x-amz-checksum-* as a header the page must send', async () => {
  // Swift 2.30's s3api validates CompleteMultipartUpload against a schema without ChecksumXXX elements.
  const handler = handlerFor(fixture, { route: '/s3', completeWithPartChecksums: false });
  const call = (path: string, init: RequestInit = {}) =>
    handler.fetch(new Request(`http://app.test/s3${path}`, { ...init, headers: { 'X-User': 'dave', 'Content-Type': 'application/json' } }));
  const part = bytes(5 * MiB, 5);
  const checksum = base64('sha256', part);
  const created = await call('/multipart', { method: 'POST', body: JSON.stringify({ filename: 'sum.bin', size: part.length, checksumAlgorithm: 'SHA256', checksumType: 'COMPOSITE' }) });
  expect(created.status).toBe(200);
  const { uploadId, key } = (await created.json()) as { uploadId: string; key: string };
  const at = `/multipart/${encodeURIComponent(uploadId)}`;
  const q = `key=${encodeURIComponent(key)}`;
  const signed = (await (await call(`${at}/1?${q}&checksumAlgorithm=SHA256&checksum=${encodeURIComponent(checksum)}`)).json()) as { url: string; headers: Record<string, string> };
  expect(signed.headers).toEqual({ 'x-amz-checksum-sha256': checksum });
  expect(new URL(signed.url).searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-amz-checksum-sha256');
  const unsent = await putPart(signed.url, part);
  expect([unsent.status, await unsent.text()]).toEqual([403, expect.stringContaining('SignatureDoesNotMatch')]);
  const put = await putPart(signed.url, part, signed.headers);
  expect(put.status).toBe(200);
  const done = await call(`${at}/complete?${q}`, {
    method: 'POST',
    // As the browser client sends it: each part's checksum, no algorithm named.
    body: JSON.stringify({ parts: [{ partNumber: 1, etag: put.headers.get('etag'), checksum }] }),
  });
  expect([done.status, await done.text()]).toEqual([200, expect.anything()]);
  const strict = handlerFor(fixture, { route: '/s3' });
  const again = await call(`/multipart`, { method: 'POST', body: JSON.stringify({ filename: 'strict.bin', size: 1 }) });
  const second = (await again.json()) as { uploadId: string; key: string };
  const refused = await strict.fetch(new Request(`http://app.test/s3/multipart/${encodeURIComponent(second.uploadId)}/complete?key=${encodeURIComponent(second.key)}`, {
    method: 'POST',
    headers: { 'X-User': 'dave' },
    body: JSON.stringify({ parts: [{ partNumber: 1, etag: '"x"', checksum }] }),
  }));
  // Sent by default (AWS needs them), so this engine's schema refusal shows, named by its S3 code.
  expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([400, 'MalformedXML']);
  // An 8-character digest is CRC32 or CRC32C; Swift's ListParts does not say which: refused, not guessed.
  const ambiguous = await strict.fetch(new Request(`http://app.test/s3/multipart/${encodeURIComponent(second.uploadId)}/complete?key=${encodeURIComponent(second.key)}`, {
    method: 'POST',
    headers: { 'X-User': 'dave' },
    body: JSON.stringify({ parts: [{ partNumber: 1, etag: '"x"', checksum: 'AAAAAA==' }] }),
  }));
  expect([ambiguous.status, ((await ambiguous.json()) as { code: string }).code]).toEqual([400, 'BadChecksumAlgorithm']);
  strict.destroy();
  expect(sha256((await storedObject(fixture, key)).bytes)).toBe(sha256(part));

  const small = bytes(1000, 6);
  const crc = 'AAAAAA==';
  const object = (await (await call('/object', { method: 'POST', body: JSON.stringify({ filename: 'crc.bin', size: small.length, checksumAlgorithm: 'CRC32', checksum: crc }) })).json()) as {
    url: string; key: string; headers: Record<string, string>;
  };
  expect(object.headers).toEqual({ 'x-amz-checksum-crc32': crc, 'x-amz-meta-filename': 'crc.bin' });
  expect((await putPart(object.url, small, object.headers)).status).toBe(200);
  handler.destroy();
});

test('every checksum algorithm the browser may send is signed and accepted by the engine, on parts and single PUTs', async () => {
  const handler = handlerFor(fixture, { route: '/s3', completeWithPartChecksums: false });
  const call = (path: string, init: RequestInit = {}) =>
    handler.fetch(new Request(`http://app.test/s3${path}`, { ...init, headers: { 'X-User': 'erin', 'Content-Type': 'application/json' } }));
  // Digests of the right length (Swift does not check the values; the signature covers them).
  const digests = { CRC32: 'AAAAAA==', CRC32C: 'AAAAAA==', CRC64NVME: 'AAAAAAAAAAA=', SHA256: base64('sha256', new Uint8Array(1)) };
  for (const [algorithm, checksum] of Object.entries(digests)) {
    const checksumType = algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
    const created = await call('/multipart', { method: 'POST', body: JSON.stringify({ filename: `${algorithm}.bin`, size: 1, checksumAlgorithm: algorithm, checksumType }) });
    expect([algorithm, created.status]).toEqual([algorithm, 200]);
    const { uploadId, key } = (await created.json()) as { uploadId: string; key: string };
    const at = `/multipart/${encodeURIComponent(uploadId)}`;
    const q = `key=${encodeURIComponent(key)}`;
    const signed = (await (await call(`${at}/1?${q}&checksumAlgorithm=${algorithm}&checksum=${encodeURIComponent(checksum)}`)).json()) as { url: string; headers: Record<string, string> };
    expect(signed.headers).toEqual({ [`x-amz-checksum-${algorithm.toLowerCase()}`]: checksum });
    const put = await putPart(signed.url, new Uint8Array(1), signed.headers);
    expect([algorithm, put.status]).toEqual([algorithm, 200]);
    const done = await call(`${at}/complete?${q}`, { method: 'POST', body: JSON.stringify({ parts: [{ partNumber: 1, etag: put.headers.get('etag'), checksum }] }) });
    expect([algorithm, done.status]).toEqual([algorithm, 200]);
    const object = (await (await call('/object', { method: 'POST', body: JSON.stringify({ filename: `${algorithm}-put.bin`, size: 1, checksumAlgorithm: algorithm, checksum }) })).json()) as {
      url: string; headers: Record<string, string>;
    };
    expect([algorithm, (await putPart(object.url, new Uint8Array(1), object.headers)).status]).toEqual([algorithm, 200]);
  }
  handler.destroy();
});
