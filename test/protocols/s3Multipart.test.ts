import { s3Multipart } from '../../src/protocols/index.js';
import { partSizeFor } from '../../src/protocols/s3/partGrid.js';
import { FakeHttp } from '../support/fakeHttp.js';
import { bytes, fileInfo, openRequest, partOf } from './tusTranscript.js';
import { BACKEND, KEY, MiB, Q, S3, UPLOAD_ID, answerCreate, answerSign, json, jsonOf, presigned, record } from './s3Transcript.js';

function open(http: FakeHttp, size: number, options: Parameters<typeof openRequest>[1] = {}) {
  return s3Multipart({ endpoint: BACKEND, http, partSize: 5 * MiB }).open(openRequest(fileInfo(size), options));
}

/** A session whose multipart upload the backend has just created. */
async function created(http: FakeHttp, size: number) {
  const opening = open(http, size);
  await answerCreate(http);
  return opening;
}

describe('S3 multipart: create, parts, complete', () => {
  test('open starts creating the upload and returns before S3 answers; the first part waits, then the record holds key, upload id and part size, no URL with a signature', async () => {
    const http = new FakeHttp();
    const session = await open(http, 12 * MiB, { headers: { Authorization: 'Bearer app' } });
    // Unanswered: the engine reads and checksums the first part meanwhile.
    expect(session.resumeRecord()).toBeUndefined();
    const file = bytes(12 * MiB);
    const events: string[] = [];
    const sending = session.sendPart({
      ...partOf(file, 0, 5 * MiB),
      onAwaitingAnswer: () => events.push('awaiting'),
      onResumePoint: () => events.push(`resume-point ${session.resumeRecord()?.state?.['uploadId']}`),
    });
    const create = await answerCreate(http);
    // CRC32C by default: declared when the upload is created, so every part must carry it.
    expect(jsonOf(create)).toEqual({ filename: 'photo.jpg', size: 12 * MiB, type: 'image/jpeg', metadata: {}, checksumAlgorithm: 'CRC32C' });
    expect(create.header('Authorization')).toBe('Bearer app');
    await answerSign(http, 1);
    // The record is worth keeping before the part's bytes go.
    expect(events).toEqual(['awaiting', `resume-point ${UPLOAD_ID}`, 'awaiting']);
    const state = { uploadId: UPLOAD_ID, key: KEY, partSize: String(5 * MiB), checksumAlgorithm: 'CRC32C' };
    expect(session.resumeRecord()).toEqual({ url: `s3:${KEY}`, state });
    (await http.next('PUT', presigned(1))).respond(200, { ETag: '"etag-1"' });
    await expect(sending).resolves.toEqual({ acknowledged: 5 * MiB });
    expect(session.capabilities).toEqual({ checksum: 'crc32c', maxParallelParts: 4, layout: { kind: 'grid', partSize: 5 * MiB } });
    expect(http.log.map((request) => request.method)).toEqual(['POST', 'GET', 'PUT']);
  });

  test('a pause while S3 creates the upload leaves the create running; the next run waits for it and continues that upload', async () => {
    const http = new FakeHttp();
    const session = await open(http, 12 * MiB);
    const pause = new AbortController();
    const lasting = new AbortController();
    const sending = session.sendPart({ ...partOf(bytes(12 * MiB), 0, 5 * MiB, { signal: pause.signal }), creationSignal: lasting.signal });
    const create = await http.next('POST', `${BACKEND}/multipart`);
    pause.abort(new Error('paused'));
    expect(create.signal?.aborted).toBe(false);
    json(create, 200, { uploadId: UPLOAD_ID, key: KEY });
    await expect(sending).rejects.toThrow('paused');
    expect(session.resumeRecord()?.state?.['uploadId']).toBe(UPLOAD_ID);
    // Resuming lists the parts of that upload: no second create.
    const syncing = session.sync({}, new AbortController().signal);
    json(await http.next('GET', `${BACKEND}/multipart/${UPLOAD_ID}${Q}`), 200, { parts: [] });
    await syncing;
    expect(http.log.map((request) => request.method)).toEqual(['POST', 'GET']);
  });

  test('a pause during the sync that waits for a begun create stops the wait only: the next sync waits for that same create', async () => {
    const http = new FakeHttp();
    const session = await open(http, 12 * MiB);
    const create = await http.next('POST', `${BACKEND}/multipart`);
    const pause = new AbortController();
    const first = session.sync({}, pause.signal);
    pause.abort(new Error('paused'));
    await expect(first).rejects.toThrow('paused');
    expect(create.signal?.aborted).toBe(false);
    const second = session.sync({}, new AbortController().signal);
    json(create, 200, { uploadId: UPLOAD_ID, key: KEY });
    json(await http.next('GET', `${BACKEND}/multipart/${UPLOAD_ID}${Q}`), 200, { parts: [] });
    await second;
    expect(session.resumeRecord()?.state?.['uploadId']).toBe(UPLOAD_ID);
    expect(http.log.map((request) => request.method)).toEqual(['POST', 'GET']);
  });

  test('destroy (the part\'s creationSignal) aborts the create; a failed create fails the waiting parts, and the next run creates afresh', async () => {
    const http = new FakeHttp();
    const session = await open(http, 12 * MiB);
    const lasting = new AbortController();
    const file = bytes(12 * MiB);
    const first = session.sendPart({ ...partOf(file, 0, 5 * MiB), creationSignal: lasting.signal });
    const create = await http.next('POST', `${BACKEND}/multipart`);
    lasting.abort(new Error('destroyed'));
    expect(create.signal?.aborted).toBe(true);
    await expect(first).rejects.toThrow('destroyed');

    const syncing = session.sync({}, new AbortController().signal);
    const again = await http.next('POST', `${BACKEND}/multipart`);
    again.respond(500, {}, 'db down');
    await expect(syncing).rejects.toMatchObject({ code: 'http-status', response: { status: 500 } });

    const retried = await open(http, 12 * MiB);
    const parts = [0, 1].map((n) => retried.sendPart(partOf(file, n * 5 * MiB, (n + 1) * 5 * MiB)));
    (await http.next('POST', `${BACKEND}/multipart`)).respond(503, {}, 'busy');
    for (const part of parts) await expect(part).rejects.toMatchObject({ code: 'http-status', response: { status: 503 } });
  });

  test('parts go out in parallel, each freshly signed, PUT as the lazy slice with only the signed headers; complete lists them in order', async () => {
    const http = new FakeHttp();
    const file = bytes(12 * MiB);
    const session = await created(http, file.size);
    const headers = { Authorization: 'Bearer app' };
    const sending = [1, 2, 3].map((n) => session.sendPart(partOf(file, (n - 1) * 5 * MiB, Math.min(file.size, n * 5 * MiB), { headers })));
    for (const n of [1, 2, 3]) await answerSign(http, n);
    const puts = await Promise.all([1, 2, 3].map(() => http.next('PUT')));
    expect(puts.map((p) => p.url)).toEqual([presigned(1), presigned(2), presigned(3)]);
    expect(puts.map((p) => (p.body instanceof Blob ? p.body.size : -1))).toEqual([5 * MiB, 5 * MiB, 2 * MiB]);
    expect(puts.every((p) => p.header('Authorization') === null)).toBe(true);
    // All three in flight at once; S3 answers them out of order.
    for (const n of [3, 1, 2]) puts[n - 1]!.respond(200, { ETag: `"etag-${n}"` });
    await expect(Promise.all(sending)).resolves.toEqual([{ acknowledged: 5 * MiB }, { acknowledged: 5 * MiB }, { acknowledged: 2 * MiB }]);
    expect(session.uploaded).toEqual([{ start: 0, end: 12 * MiB }]);

    const completing = session.complete({}, new AbortController().signal);
    const complete = await http.next('POST', `${BACKEND}/multipart/${UPLOAD_ID}/complete${Q}`);
    expect(jsonOf(complete)).toEqual({
      parts: [1, 2, 3].map((n) => ({ partNumber: n, etag: `"etag-${n}"` })),
    });
    json(complete, 200, { location: `${S3}/${KEY}`, etag: '"whole-3"' });
    // What S3 returned goes to onSuccess, the file's done and its snapshot.
    await expect(completing).resolves.toEqual({ location: `${S3}/${KEY}`, key: KEY, etag: '"whole-3"' });
    expect(session.resumeRecord()?.url).toBe(`${S3}/${KEY}`);
  });

  test('a part retried is signed again: no presigned URL is reused', async () => {
    const http = new FakeHttp();
    const file = bytes(6 * MiB);
    const session = await created(http, file.size);
    const first = session.sendPart(partOf(file, 0, 5 * MiB));
    await answerSign(http, 1);
    (await http.next('PUT')).respond(503, {}, '<Error><Code>SlowDown</Code></Error>');
    await expect(first).rejects.toMatchObject({ code: 'http-status', response: { status: 503 } });
    const again = session.sendPart(partOf(file, 0, 5 * MiB));
    const sign = await http.next('GET', `${BACKEND}/multipart/${UPLOAD_ID}/1${Q}`);
    json(sign, 200, { url: `${presigned(1)}-fresh`, headers: { 'x-amz-meta-try': '2' } });
    const put = await http.next('PUT', `${presigned(1)}-fresh`);
    expect(put.headers).toEqual({ 'x-amz-meta-try': '2' });
    put.respond(200, { ETag: '"e1"' });
    await expect(again).resolves.toEqual({ acknowledged: 5 * MiB });
  });

  test('a part answer without ETag is a protocol error that names the CORS fix, and no signature leaks into it', async () => {
    const http = new FakeHttp();
    const file = bytes(5 * MiB);
    const session = await created(http, file.size);
    const sending = session.sendPart(partOf(file, 0, 5 * MiB));
    await answerSign(http, 1);
    (await http.next('PUT')).respond(200, {});
    const error: unknown = await sending.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'protocol', request: { method: 'PUT', url: `${S3}/${KEY}` } });
    expect(String(error)).toContain('ExposeHeaders: ETag');
    expect(String(error)).not.toContain('secret');
    expect(session.uploaded).toEqual([]);
  });

  test('a PUT that gets no answer fails as network without the presigned query in the error', async () => {
    const http = new FakeHttp();
    const file = bytes(5 * MiB);
    const session = await created(http, file.size);
    const sending = session.sendPart(partOf(file, 0, 5 * MiB));
    await answerSign(http, 1);
    (await http.next('PUT')).fail();
    const error: unknown = await sending.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'network', request: { url: `${S3}/${KEY}` } });
    expect(String(error)).not.toContain('secret');
  });

  test('a range off the part grid is refused before anything is sent', async () => {
    const http = new FakeHttp();
    const file = bytes(12 * MiB);
    const session = await created(http, file.size);
    await expect(session.sendPart(partOf(file, 0, 4 * MiB))).rejects.toMatchObject({ code: 'protocol' });
    await expect(session.sendPart(partOf(file, MiB, 6 * MiB))).rejects.toMatchObject({ code: 'protocol' });
    expect(http.log.map((r) => r.method)).toEqual(['POST']);
  });
});

describe('S3 multipart: resume, abort', () => {
  test('resume lists the parts S3 holds: those on the grid count as uploaded, others are sent again', async () => {
    const http = new FakeHttp();
    const opening = open(http, 17 * MiB, { resume: record(5 * MiB) });
    const list = await http.next('GET', `${BACKEND}/multipart/${UPLOAD_ID}${Q}`);
    json(list, 200, {
      parts: [
        { partNumber: 1, size: 5 * MiB, etag: '"a"' },
        { partNumber: 3, size: 5 * MiB, etag: '"c"' },
        { partNumber: 2, size: 123, etag: '"short"' },
      ],
    });
    const session = await opening;
    expect(session.uploaded).toEqual([
      { start: 0, end: 5 * MiB },
      { start: 10 * MiB, end: 15 * MiB },
    ]);
    expect(http.log.map((r) => r.method)).toEqual(['GET']);

    const file = bytes(17 * MiB);
    const sending = [session.sendPart(partOf(file, 5 * MiB, 10 * MiB)), session.sendPart(partOf(file, 15 * MiB, 17 * MiB))];
    for (const n of [2, 4]) await answerSign(http, n);
    for (const n of [2, 4]) (await http.next('PUT', presigned(n))).respond(200, { ETag: `"${n}"` });
    await Promise.all(sending);
    const completing = session.complete({}, new AbortController().signal);
    const complete = await http.next('POST');
    expect(jsonOf(complete)).toEqual({ parts: [{ partNumber: 1, etag: '"a"' }, { partNumber: 2, etag: '"2"' }, { partNumber: 3, etag: '"c"' }, { partNumber: 4, etag: '"4"' }] });
    json(complete, 200, {});
    await completing;
  });

  test('the part size comes from the record, not from the options of the new page', async () => {
    const http = new FakeHttp();
    const opening = s3Multipart({ endpoint: BACKEND, http, partSize: 16 * MiB }).open(openRequest(fileInfo(20 * MiB), { resume: record(6 * MiB) }));
    json(await http.next('GET'), 200, { parts: [{ partNumber: 1, size: 6 * MiB, etag: '"a"' }] });
    const session = await opening;
    expect(session.uploaded).toEqual([{ start: 0, end: 6 * MiB }]);
    expect(session.capabilities.layout).toEqual({ kind: 'grid', partSize: 6 * MiB });
  });

  test('an upload S3 no longer knows (404 NoSuchUpload) starts afresh with a new upload', async () => {
    const http = new FakeHttp();
    const opening = open(http, 12 * MiB, { resume: record() });
    (await http.next('GET', `${BACKEND}/multipart/${UPLOAD_ID}${Q}`)).respond(404, {}, '{"code":"NoSuchUpload"}');
    await answerCreate(http, 'up-2', 'uploads/u-2/a.bin');
    const session = await opening;
    expect(session.uploaded).toEqual([]);
    expect(session.resumeRecord()?.state).toMatchObject({ uploadId: 'up-2', key: 'uploads/u-2/a.bin' });
  });

  test('a 500 from listParts is an error the engine may retry, not a fresh start', async () => {
    const http = new FakeHttp();
    const opening = open(http, 12 * MiB, { resume: record() });
    (await http.next('GET')).respond(500, {}, 'db down');
    await expect(opening).rejects.toMatchObject({ code: 'http-status', response: { status: 500 } });
    expect(http.log).toHaveLength(1);
  });

  test('terminate aborts the upload through the backend; a second terminate sends nothing', async () => {
    const http = new FakeHttp();
    const session = await created(http, 12 * MiB);
    const terminating = session.terminate({ Authorization: 'Bearer app' });
    const abort = await http.next('DELETE', `${BACKEND}/multipart/${UPLOAD_ID}${Q}`);
    expect(abort.header('Authorization')).toBe('Bearer app');
    abort.respond(204);
    // Then it checks that S3 no longer knows the upload.
    (await http.next('GET', `${BACKEND}/multipart/${UPLOAD_ID}${Q}`)).respond(404, {}, '{"code":"NoSuchUpload"}');
    await terminating;
    expect(session.resumeRecord()).toBeUndefined();
    await session.terminate({});
    expect(http.log).toHaveLength(3);
  });

  test('a part stored after the abort (it was in flight) is aborted again until ListParts no longer knows the upload', async () => {
    const http = new FakeHttp();
    const session = await created(http, 12 * MiB);
    const terminating = session.terminate({});
    (await http.next('DELETE', `${BACKEND}/multipart/${UPLOAD_ID}${Q}`)).respond(204);
    (await http.next('GET', `${BACKEND}/multipart/${UPLOAD_ID}${Q}`)).respond(200, {}, JSON.stringify({ parts: [{ partNumber: 2, etag: '"e2"', size: 5 * MiB }] }));
    (await http.next('DELETE', `${BACKEND}/multipart/${UPLOAD_ID}${Q}`)).respond(204);
    (await http.next('GET', `${BACKEND}/multipart/${UPLOAD_ID}${Q}`)).respond(404, {}, '{"code":"NoSuchUpload"}');
    await terminating;
    expect(http.log.map((entry) => entry.method)).toEqual(['POST', 'DELETE', 'GET', 'DELETE', 'GET']);
  });
});

describe('S3 part grid', () => {
  test('at least 5 MiB and the preference, and never more than 10,000 parts', () => {
    expect(partSizeFor(0, 8 * MiB)).toBe(8 * MiB);
    expect(partSizeFor(100 * MiB, MiB)).toBe(5 * MiB);
    const huge = 200 * 1024 * MiB;
    const size = partSizeFor(huge, 8 * MiB);
    expect(Math.ceil(huge / size)).toBeLessThanOrEqual(10_000);
    expect(size % MiB).toBe(0);
    expect(partSizeFor(huge, 8 * MiB)).toBe(size);
  });
});
