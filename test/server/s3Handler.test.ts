import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { ListMultipartUploadsCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { isUploadError } from '../../src/core/UploadError.ts';
import {
  bytes, clientConfig, fetchStack, fileInfo, handlerFor, MiB, pageClient, putPart, sha256, startFixture, stopFixture, storedObject,
  type SwiftFixture,
} from './s3HandlerSupport.ts';

let fixture: SwiftFixture;
let handler: ReturnType<typeof handlerFor>;
const ENDPOINT = 'http://app.test/s3';

beforeAll(async () => {
  fixture = await startFixture('handler');
  handler = handlerFor(fixture, { route: '/s3' });
});
afterAll(async () => {
  handler?.destroy();
  await stopFixture(fixture);
});

const page = (user = 'alice') => pageClient(ENDPOINT, fetchStack(handler.fetch), user);
const openUploads = async () => (await fixture.s3.send(new ListMultipartUploadsCommand({ Bucket: fixture.bucket }))).Uploads ?? [];
const api = (path: string, init: RequestInit & { user?: string } = {}) =>
  handler.fetch(new Request(`${ENDPOINT}${path}`, { ...init, headers: { 'Content-Type': 'application/json', 'X-User': init.user ?? 'alice', ...init.headers } }));

test("multipart through the Fetch adapter with the library's own client: unicode and !'()* name kept, bytes exact", async () => {
  const name = "Über 名前 !'()* (1).bin";
  const source = bytes(5 * MiB + 1234, 1);
  const { backend, signal, headers } = page();
  const upload = await backend.createMultipartUpload(fileInfo(name, source.length), signal, headers);
  expect(upload.key).toBe(`alice/${name}`);
  const parts = [];
  for (const [index, [start, end]] of [[0, 5 * MiB], [5 * MiB, source.length]].entries()) {
    const signed = await backend.signPart({ ...upload, partNumber: index + 1 }, signal, headers);
    const put = await putPart(signed.url, source.subarray(start, end), signed.headers);
    expect(put.status).toBe(200);
    parts.push({ partNumber: index + 1, etag: put.headers.get('etag')! });
  }
  expect((await backend.listParts(upload, signal, headers))?.map((p) => [p.partNumber, p.size])).toEqual([[1, 5 * MiB], [2, 1234]]);
  await backend.completeMultipartUpload({ ...upload, parts }, signal, headers);
  const stored = await storedObject(fixture, upload.key);
  expect(sha256(stored.bytes)).toBe(sha256(source));
  expect(decodeURIComponent(stored.metadata.filename!)).toBe(name);
  expect(await openUploads()).toEqual([]);
});

test('single PutObject: signed metadata headers, and a retry signs the same key again', async () => {
  const { backend, signal, headers } = page();
  const source = bytes(MiB, 2);
  const signed = await backend.signPut!({ ...fileInfo('small é.bin', source.length) }, signal, headers);
  expect(signed.key).toBe('alice/small é.bin');
  expect(signed.headers).toEqual({ 'x-amz-meta-filename': encodeURIComponent('small é.bin') });
  expect((await putPart(signed.url, source.subarray(0, 10), signed.headers)).status).toBe(200);
  const again = await backend.signPut!({ ...fileInfo('small é.bin', source.length), key: signed.key }, signal, headers);
  expect(again.key).toBe(signed.key);
  expect((await putPart(again.url, source, again.headers)).status).toBe(200);
  const stored = await storedObject(fixture, signed.key);
  expect(sha256(stored.bytes)).toBe(sha256(source));
  expect(decodeURIComponent(stored.metadata.filename!)).toBe('small é.bin');
  // The metadata header is covered by the signature: a PUT without it is refused.
  const bare = await putPart(again.url, source);
  expect(bare.status).toBe(403);
  expect(await bare.text()).toContain('SignatureDoesNotMatch');
});

test('an app error in authorize is a bare 500 to the page and goes to onError in full', async () => {
  const seen: unknown[] = [];
  const failing = handlerFor(fixture, {
    route: '/s3',
    authorize: () => {
      throw new Error('database password rejected');
    },
    onError: (error) => seen.push(error),
  });
  const answer = await failing.fetch(new Request(`${ENDPOINT}/multipart`, { method: 'POST', body: JSON.stringify({ filename: 'x', size: 1 }) }));
  const body = await answer.text();
  expect([answer.status, body]).toEqual([500, expect.stringContaining('InternalError')]);
  expect(body).not.toContain('password');
  expect(seen).toEqual([new Error('database password rejected')]);
  failing.destroy();
});

test('authorize refusing, and mayAccess keeping one user off another user\'s upload', async () => {
  const refused = await api('/multipart', { method: 'POST', user: '', body: JSON.stringify({ filename: 'x', size: 1 }) });
  expect(refused.status).toBe(403);
  expect(await refused.json()).toMatchObject({ code: 'NotAllowed' });
  const { backend, signal, headers } = page('bob');
  const upload = await backend.createMultipartUpload(fileInfo('mine.bin', 10), signal, headers);
  for (const [path, method] of [['/1', 'GET'], ['', 'GET'], ['', 'DELETE'], ['/complete', 'POST']] as const) {
    const answer = await api(`/multipart/${encodeURIComponent(upload.uploadId)}${path}?key=${encodeURIComponent(upload.key)}`, {
      method, user: 'mallory', ...(method === 'POST' ? { body: JSON.stringify({ parts: [{ partNumber: 1, etag: '"x"' }] }) } : {}),
    });
    expect([path, method, answer.status]).toEqual([path, method, 403]);
  }
  const resign = await api('/object', { method: 'POST', user: 'mallory', body: JSON.stringify({ filename: 'x', size: 1, key: upload.key }) });
  expect(resign.status).toBe(403);
  expect((await openUploads()).map((u) => u.Key)).toEqual([upload.key]);
  await backend.abortMultipartUpload(upload, signal, headers);
  expect(await openUploads()).toEqual([]);
});

test('ListParts is paged: with 2 parts a page, all 5 parts are listed in order', async () => {
  const paged = handlerFor(fixture, { route: '/s3', listPartsPageSize: 2 });
  const { backend, signal, headers } = pageClient(ENDPOINT, fetchStack(paged.fetch), 'alice');
  const upload = await backend.createMultipartUpload(fileInfo('paged.bin', 50), signal, headers);
  for (let partNumber = 1; partNumber <= 5; partNumber++) {
    await fixture.s3.send(new UploadPartCommand({ Bucket: fixture.bucket, Key: upload.key, UploadId: upload.uploadId, PartNumber: partNumber, Body: bytes(10, partNumber) }));
  }
  const listed = await backend.listParts(upload, signal, headers);
  expect(listed?.map((p) => p.partNumber)).toEqual([1, 2, 3, 4, 5]);
  await backend.abortMultipartUpload(upload, signal, headers);
  expect(await backend.listParts(upload, signal, headers)).toBeNull();
  paged.destroy();
});

test('signingClient: the page PUTs to the address it names (here a forwarder), while create and complete go straight to S3', async () => {
  // What the page reaches: a TCP forwarder to Swift that counts what crosses it.
  const crossed: string[] = [];
  const sockets = new Set<Socket>();
  const forwarder = createServer((socket) => {
    sockets.add(socket);
    const upstream = connect(Number(new URL(fixture.swift.endpoint).port), '127.0.0.1');
    socket.once('data', (first) => crossed.push(first.toString('latin1').split(' ', 1)[0]!));
    socket.pipe(upstream).pipe(socket);
    for (const end of [socket, upstream]) end.on('error', () => (socket.destroy(), upstream.destroy()));
  });
  await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.1', resolve));
  const publicEndpoint = `http://127.0.0.1:${(forwarder.address() as AddressInfo).port}`;
  const signingClient = new S3Client({ ...clientConfig(fixture.swift), endpoint: publicEndpoint });
  const split = handlerFor(fixture, { route: '/s3', signingClient });
  try {
    const { backend, signal, headers } = pageClient(ENDPOINT, fetchStack(split.fetch), 'alice');
    const source = bytes(MiB, 7);
    const upload = await backend.createMultipartUpload(fileInfo('split.bin', source.length), signal, headers);
    const signed = await backend.signPart({ ...upload, partNumber: 1 }, signal, headers);
    expect(new URL(signed.url).origin).toBe(publicEndpoint);
    const put = await putPart(signed.url, source, signed.headers);
    expect(put.status).toBe(200);
    await backend.completeMultipartUpload({ ...upload, parts: [{ partNumber: 1, etag: put.headers.get('etag')! }] }, signal, headers);
    expect(sha256((await storedObject(fixture, upload.key)).bytes)).toBe(sha256(source));
    // Only the page's PUT crossed the forwarder; the handler's own calls did not.
    expect(crossed).toEqual(['PUT']);
    const object = await backend.signPut!({ ...fileInfo('split-put.bin', 3) }, signal, headers);
    expect(new URL(object.url).origin).toBe(publicEndpoint);
  } finally {
    split.destroy();
    signingClient.destroy();
    // fetch keeps its connection alive: end it rather than wait for the idle timeout.
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => forwarder.close(resolve));
  }
});

test('S3 errors reach the page as JSON with status and S3 code; bad shapes are refused before S3', async () => {
  const { backend, signal, headers } = page();
  const upload = await backend.createMultipartUpload(fileInfo('errors.bin', 10), signal, headers);
  const at = `/multipart/${encodeURIComponent(upload.uploadId)}`;
  const key = `?key=${encodeURIComponent(upload.key)}`;
  const wrongEtag = await api(`${at}/complete${key}`, { method: 'POST', body: JSON.stringify({ parts: [{ partNumber: 1, etag: '"00000000000000000000000000000000"' }] }) });
  expect(wrongEtag.status).toBe(400);
  expect(await wrongEtag.json()).toMatchObject({ code: 'InvalidPart', s3Status: 400 });
  const failed = await backend.completeMultipartUpload({ ...upload, parts: [{ partNumber: 1, etag: '"0"' }] }, signal, headers).catch((e: unknown) => e);
  expect(isUploadError(failed) && failed.response?.status).toBe(400);
  expect(isUploadError(failed) && failed.response?.body).toContain('InvalidPart');
  expect((await api(`${at}${key}`, { method: 'DELETE' })).status).toBe(204);
  const gone = await api(`${at}${key}`, { method: 'DELETE' });
  expect([gone.status, await gone.json()]).toEqual([404, expect.objectContaining({ code: 'NoSuchUpload' })]);
  const shapes: [string, string][] = [
    [`/multipart/${encodeURIComponent('has space')}${key}`, 'BadUploadId'],
    [`/multipart/${'x'.repeat(1025)}${key}`, 'BadUploadId'],
    [`${at}?key=${encodeURIComponent('alice/../bob/x')}`, 'BadKey'],
    [`${at}?key=${encodeURIComponent('/alice/x')}`, 'BadKey'],
    [`${at}?key=${encodeURIComponent('alice/x\n')}`, 'BadKey'],
    [`${at}/0${key}`, 'BadPartNumber'],
    [`${at}/10001${key}`, 'BadPartNumber'],
    [`${at}/1${key}&checksumAlgorithm=MD5&checksum=AAAAAA==`, 'BadChecksumAlgorithm'],
    [`${at}/1${key}&checksumAlgorithm=SHA256&checksum=short`, 'BadChecksum'],
  ];
  for (const [path, code] of shapes) {
    const answer = await api(path);
    expect([path, answer.status, ((await answer.json()) as { code: string }).code]).toEqual([path, 400, code]);
  }
  const notJson = await api('/multipart', { method: 'POST', body: '{nope' });
  expect([notJson.status, ((await notJson.json()) as { code: string }).code]).toEqual([400, 'BadJson']);
  expect((await handler.fetch(new Request('http://app.test/elsewhere'))).status).toBe(404);
});
