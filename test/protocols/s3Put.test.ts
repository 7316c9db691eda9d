import { createUploader } from '../../src/core/createUploader.js';
import { memoryUrlStorage, resumeKey } from '../../src/core/resumeStorage.js';
import { s3Multipart } from '../../src/protocols/index.js';
import { bytes as seeded, settle, track, until } from '../core/harness.js';
import { createFakeClock } from '../support/fakeClock.js';
import { FakeHttp } from '../support/fakeHttp.js';
import { bytes, fileInfo, openRequest, partOf } from './tusTranscript.js';
import { BACKEND, KEY, MiB, S3, UPLOAD_ID, answerCreate, json, jsonOf, record } from './s3Transcript.js';

const OBJECT_URL = `${S3}/${KEY}`;

function signedPut(n: number): string {
  return `${OBJECT_URL}?X-Amz-Signature=secret${n}`;
}

function open(http: FakeHttp, size: number, options: { multipartThreshold?: number; resume?: ReturnType<typeof record> } = {}) {
  const { resume, ...rest } = options;
  return s3Multipart({ endpoint: BACKEND, http, partSize: 5 * MiB, ...rest }).open(openRequest(fileInfo(size), resume ? { resume } : {}));
}

describe('S3: a file below multipartThreshold is one presigned PutObject', () => {
  test('through the uploader: sign, then one PUT of the File itself; no multipart upload, no resume record', async () => {
    const http = new FakeHttp();
    const storage = memoryUrlStorage();
    const uploader = track(createUploader({
      protocol: s3Multipart({ endpoint: BACKEND, http }),
      clock: createFakeClock(1_000_000),
      resume: storage,
      headers: { Authorization: 'Bearer app' },
    }));
    const file = new File([seeded(3 * MiB, 5)], 'small.bin', { type: 'application/octet-stream', lastModified: 1 });
    uploader.add([file]);
    const sign = await http.next('POST', `${BACKEND}/object`);
    expect(jsonOf(sign)).toEqual({ filename: 'small.bin', size: 3 * MiB, type: 'application/octet-stream', metadata: expect.any(Object) as unknown });
    expect(sign.header('Authorization')).toBe('Bearer app');
    json(sign, 200, { url: signedPut(1), key: KEY });
    const put = await http.next('PUT', signedPut(1));
    // The whole file in one part: the engine hands over the File itself, not a slice of it.
    expect(put.body).toBe(file);
    expect(put.header('Authorization')).toBeNull();
    await settle();
    expect(storage.get(resumeKey(BACKEND, file))).toBeUndefined();
    put.respond(200, { ETag: '"whole"' });
    await until(() => uploader.getSnapshot().files[0]?.status === 'completed', 'completed');
    expect(uploader.getSnapshot().files[0]).toMatchObject({ bytesAcknowledged: 3 * MiB, url: OBJECT_URL });
    expect(http.log.map((r) => `${r.method} ${r.url}`)).toEqual([`POST ${BACKEND}/object`, `PUT ${signedPut(1)}`]);
    expect(storage.get(resumeKey(BACKEND, file))).toBeUndefined();
  });

  test('through the uploader: an empty file is one PUT of an empty body', async () => {
    const http = new FakeHttp();
    const uploader = track(createUploader({ protocol: s3Multipart({ endpoint: BACKEND, http, multipartThreshold: 0 }), clock: createFakeClock(1) }));
    uploader.add([new File([], 'empty.txt', { type: 'text/plain', lastModified: 1 })]);
    json(await http.next('POST', `${BACKEND}/object`), 200, { url: signedPut(1), key: KEY });
    const put = await http.next('PUT', signedPut(1));
    expect(put.body instanceof Blob ? put.body.size : -1).toBe(0);
    put.respond(200, { ETag: '"d41d8cd98f00b204e9800998ecf8427e"' });
    await until(() => uploader.getSnapshot().files[0]?.status === 'completed', 'completed');
    expect(http.log.map((r) => r.method)).toEqual(['POST', 'PUT']);
  });

  test('the session asks for the whole file as its one part; complete and terminate send nothing', async () => {
    const http = new FakeHttp();
    const session = await open(http, 5 * MiB - 1);
    expect(session.capabilities).toEqual({ checksum: null, maxParallelParts: 1, layout: { kind: 'whole' } });
    expect(session.uploaded).toEqual([]);
    expect(session.resumeRecord()).toBeUndefined();
    const file = bytes(5 * MiB - 1);
    const sending = session.sendPart(partOf(file, 0, file.size));
    json(await http.next('POST', `${BACKEND}/object`), 200, { url: signedPut(1), key: KEY });
    (await http.next('PUT', signedPut(1))).respond(200, { ETag: '"e"' });
    await expect(sending).resolves.toEqual({ acknowledged: 5 * MiB - 1 });
    expect(session.uploaded).toEqual([{ start: 0, end: 5 * MiB - 1 }]);
    expect(session.resumeRecord()).toEqual({ url: OBJECT_URL });
    await session.complete({}, new AbortController().signal);
    await session.terminate({});
    expect(http.log.map((r) => r.method)).toEqual(['POST', 'PUT']);
  });

  test('the boundary: one byte below the threshold is a PUT, the threshold itself is multipart', async () => {
    const below = new FakeHttp();
    await open(below, 5 * MiB - 1);
    expect(below.log).toHaveLength(0);

    const at = new FakeHttp();
    const opening = open(at, 5 * MiB);
    await answerCreate(at);
    await opening;
    expect(at.log.map((r) => `${r.method} ${r.url}`)).toEqual([`POST ${BACKEND}/multipart`]);
  });

  test('multipartThreshold moves the boundary, up to 5 GiB, the largest PutObject', async () => {
    const http = new FakeHttp();
    const session = await open(http, 12 * MiB, { multipartThreshold: 20 * MiB });
    expect(session.capabilities.layout).toEqual({ kind: 'whole' });
    expect(http.log).toHaveLength(0);

    const huge = new FakeHttp();
    const opening = open(huge, 6 * 1024 * MiB, { multipartThreshold: Infinity });
    await answerCreate(huge);
    await opening;
    expect(huge.log.map((r) => r.url)).toEqual([`${BACKEND}/multipart`]);
  });

  test('a retried PUT is signed again, for the same key, and sends only the new signed headers', async () => {
    const http = new FakeHttp();
    const session = await open(http, MiB);
    const file = bytes(MiB);
    const first = session.sendPart(partOf(file, 0, MiB));
    json(await http.next('POST', `${BACKEND}/object`), 200, { url: signedPut(1), key: KEY });
    (await http.next('PUT', signedPut(1))).respond(503, {}, '<Error><Code>SlowDown</Code></Error>');
    const error: unknown = await first.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'http-status', request: { url: OBJECT_URL }, response: { status: 503 } });
    expect(String(error)).not.toContain('secret');
    expect(session.uploaded).toEqual([]);

    const again = session.sendPart(partOf(file, 0, MiB, { headers: { Authorization: 'Bearer app' } }));
    const sign = await http.next('POST', `${BACKEND}/object`);
    expect(jsonOf(sign)).toMatchObject({ key: KEY });
    json(sign, 200, { url: signedPut(2), key: KEY, headers: { 'x-amz-meta-try': '2' } });
    const put = await http.next('PUT', signedPut(2));
    expect(put.headers).toEqual({ 'x-amz-meta-try': '2' });
    put.respond(200, { ETag: '"e"' });
    await expect(again).resolves.toEqual({ acknowledged: MiB });
  });

  test('an empty file: capabilities still name one part, and the PUT body is empty', async () => {
    const http = new FakeHttp();
    const session = await open(http, 0, { multipartThreshold: 0 });
    expect(session.capabilities).toMatchObject({ layout: { kind: 'whole' }, maxParallelParts: 1 });
    const sending = session.sendPart(partOf(new Blob([]), 0, 0));
    json(await http.next('POST', `${BACKEND}/object`), 200, { url: signedPut(1), key: KEY });
    const put = await http.next('PUT', signedPut(1));
    expect(put.body instanceof Blob ? put.body.size : -1).toBe(0);
    put.respond(200, { ETag: '"empty"' });
    await expect(sending).resolves.toEqual({ acknowledged: 0 });
    expect(http.log.map((r) => r.method)).toEqual(['POST', 'PUT']);
  });

  test('a part that is not the whole file (forced hashing with small buffers) is refused before anything is sent', async () => {
    const http = new FakeHttp();
    const session = await open(http, 4 * MiB);
    await expect(session.sendPart(partOf(bytes(4 * MiB), 0, 2 * MiB))).rejects.toMatchObject({ code: 'protocol' });
    expect(http.log).toHaveLength(0);
  });

  test('a signing answer without a key is a protocol error', async () => {
    const http = new FakeHttp();
    const session = await open(http, MiB);
    const sending = session.sendPart(partOf(bytes(MiB), 0, MiB));
    json(await http.next('POST', `${BACKEND}/object`), 200, { url: signedPut(1) });
    await expect(sending).rejects.toMatchObject({ code: 'protocol' });
    expect(http.log).toHaveLength(1);
  });

  test('a small file whose record names a multipart upload continues it; callbacks without signPut go multipart', async () => {
    const resumed = new FakeHttp();
    const opening = open(resumed, MiB, { resume: record() });
    json(await resumed.next('GET', `${BACKEND}/multipart/${UPLOAD_ID}?key=${encodeURIComponent(KEY)}`), 200, { parts: [] });
    await opening;

    const created: string[] = [];
    const protocol = s3Multipart({
      createMultipartUpload: async () => {
        created.push('create');
        return { uploadId: UPLOAD_ID, key: KEY };
      },
      signPart: async () => ({ url: signedPut(1) }),
      listParts: async () => [],
      completeMultipartUpload: async () => ({}),
      abortMultipartUpload: async () => {},
      http: new FakeHttp(),
    });
    await protocol.open(openRequest(fileInfo(MiB)));
    expect(created).toEqual(['create']);
  });
});
