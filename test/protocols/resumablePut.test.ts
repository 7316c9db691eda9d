import { createUploader, memoryUrlStorage, resumablePut, resumeKey } from '../../src/index.js';
import { bytes as seeded, settle, track, until } from '../core/harness.js';
import { createFakeClock } from '../support/fakeClock.js';
import { FakeHttp } from '../support/fakeHttp.js';
import { bytes, fileInfo, openRequest, partOf } from './tusTranscript.js';

const ENDPOINT = 'https://put.example/upload';
const SESSION = 'https://put.example/upload/s-1';

async function created(http: FakeHttp): Promise<void> {
  const post = await http.next('POST', ENDPOINT);
  expect(post.header('X-Upload-Content-Length')).not.toBeNull();
  post.respond(201, { Location: '/upload/s-1' });
}

describe('resumable PUT: transcripts', () => {
  test('a new file: POST for a session URL, then PUTs with Content-Range; 308 + Range acknowledges, 201 completes', async () => {
    const http = new FakeHttp();
    const blob = bytes(2500);
    const session = await resumablePut({ endpoint: ENDPOINT, http }).open(openRequest(fileInfo(2500)));
    expect(session.capabilities).toEqual({ checksum: null, maxParallelParts: 1, layout: { kind: 'free', maxPartSize: Infinity } });
    expect(http.log).toHaveLength(0);

    const resumePoints: number[] = [];
    const first = session.sendPart({ ...partOf(blob, 0, 1000), onResumePoint: () => resumePoints.push(1) });
    const post = await http.next('POST', ENDPOINT);
    expect(post.header('X-Upload-Content-Length')).toBe('2500');
    expect(post.header('X-Upload-Content-Type')).toBe('image/jpeg');
    expect(JSON.parse(await (post.body as Blob).text())).toEqual({ name: 'photo.jpg', metadata: {} });
    post.respond(201, { Location: '/upload/s-1' });
    const put = await http.next('PUT', SESSION);
    expect(resumePoints).toEqual([1]);
    expect(session.resumeRecord()).toEqual({ url: SESSION });
    expect(put.header('Content-Range')).toBe('bytes 0-999/2500');
    expect((put.body as Blob).size).toBe(1000);
    put.respond(308, { Range: 'bytes=0-999' });
    await expect(first).resolves.toEqual({ acknowledged: 1000 });

    const second = session.sendPart(partOf(blob, 1000, 2500));
    const last = await http.next('PUT', SESSION);
    expect(last.header('Content-Range')).toBe('bytes 1000-2499/2500');
    last.respond(201);
    await expect(second).resolves.toEqual({ acknowledged: 1500 });
    await session.complete({}, new AbortController().signal);
    expect(http.unread).toBe(0);
  });

  test('the server may keep fewer bytes than sent (308 with a shorter Range): only those are acknowledged', async () => {
    const http = new FakeHttp();
    const session = await resumablePut({ endpoint: ENDPOINT, http }).open(openRequest(fileInfo(2000)));
    const sending = session.sendPart(partOf(bytes(2000), 0, 2000));
    await created(http);
    (await http.next('PUT', SESSION)).respond(308, { Range: 'bytes=0-1499' });
    await expect(sending).resolves.toEqual({ acknowledged: 1500 });
    expect(session.uploaded).toEqual([{ start: 0, end: 1500 }]);
  });

  test('resume: an empty PUT with Content-Range bytes */total asks how far the server got', async () => {
    const http = new FakeHttp();
    const opening = resumablePut({ endpoint: ENDPOINT, http }).open(openRequest(fileInfo(3000), { resume: { url: SESSION, createdAt: 0, expiresAt: 1 } }));
    const query = await http.next('PUT', SESSION);
    expect(query.header('Content-Range')).toBe('bytes */3000');
    expect(query.body ?? null).toBeNull();
    query.respond(308, { Range: 'bytes=0-1233' });
    const session = await opening;
    expect(session.uploaded).toEqual([{ start: 0, end: 1234 }]);
    expect(session.resumeRecord()).toEqual({ url: SESSION });
  });

  test('resume of a session the server no longer knows (404/410) starts afresh with a new POST', async () => {
    for (const status of [404, 410]) {
      const http = new FakeHttp();
      const opening = resumablePut({ endpoint: ENDPOINT, http }).open(openRequest(fileInfo(10), { resume: { url: SESSION, createdAt: 0, expiresAt: 1 } }));
      (await http.next('PUT', SESSION)).respond(status);
      const session = await opening;
      expect(session.uploaded).toEqual([]);
      expect(session.resumeRecord()).toBeUndefined();
      const sending = session.sendPart(partOf(bytes(10), 0, 10));
      await created(http);
      (await http.next('PUT', SESSION)).respond(200);
      await expect(sending).resolves.toEqual({ acknowledged: 10 });
    }
  });

  test('malformed answers fail at once as protocol errors; other statuses as http-status with the response', async () => {
    const http = new FakeHttp();
    const session = await resumablePut({ endpoint: ENDPOINT, http }).open(openRequest(fileInfo(100)));
    const noLocation = session.sendPart(partOf(bytes(100), 0, 100));
    (await http.next('POST')).respond(201);
    await expect(noLocation).rejects.toMatchObject({ code: 'protocol' });

    const again = session.sendPart(partOf(bytes(100), 0, 100));
    await created(http);
    (await http.next('PUT')).respond(308, { Range: 'bytes=0-500' });
    await expect(again).rejects.toMatchObject({ code: 'protocol' });

    const failed = session.sendPart(partOf(bytes(100), 0, 100));
    (await http.next('PUT')).respond(503, { 'Retry-After': '2' }, 'busy');
    await expect(failed).rejects.toMatchObject({ code: 'http-status', response: { status: 503 }, retryAfterMs: 2000 });
  });

  test('an empty file is created and finished by complete(): one POST, one PUT bytes */0', async () => {
    const http = new FakeHttp();
    const session = await resumablePut({ endpoint: ENDPOINT, http }).open(openRequest(fileInfo(0)));
    const completing = session.complete({}, new AbortController().signal);
    await created(http);
    const put = await http.next('PUT', SESSION);
    expect(put.header('Content-Range')).toBe('bytes */0');
    put.respond(201);
    await completing;
  });

  test('terminate sends DELETE; 499 (GCS) and 404 count as done', async () => {
    const http = new FakeHttp();
    const opening = resumablePut({ endpoint: ENDPOINT, http }).open(openRequest(fileInfo(10), { resume: { url: SESSION, createdAt: 0, expiresAt: 1 } }));
    (await http.next('PUT')).respond(308);
    const session = await opening;
    const ending = session.terminate({ Authorization: 'Bearer t' });
    const del = await http.next('DELETE', SESSION);
    expect(del.header('Authorization')).toBe('Bearer t');
    del.respond(499);
    await ending;
    expect(session.resumeRecord()).toBeUndefined();
  });
});

test('the engine over resumable PUT: parts of partSize, the URL kept once the POST is answered, retried from the server offset after a cut', async () => {
  const http = new FakeHttp();
  const storage = memoryUrlStorage();
  const clock = createFakeClock(1_000_000);
  const uploader = track(createUploader({ protocol: resumablePut({ endpoint: ENDPOINT, http }), clock, resume: storage, checksum: false, partSize: 1000, maxPartSize: 1000, retry: { delays: [0] } }));
  const file = new File([seeded(2500, 3)], 'clip.bin', { lastModified: 1 });
  uploader.add([file]);
  await created(http);
  const first = await http.next('PUT', SESSION);
  await until(() => storage.get(resumeKey(ENDPOINT, file)) !== undefined, 'the stored record');
  first.respond(308, { Range: 'bytes=0-999' });
  const second = await http.next('PUT', SESSION);
  expect(second.header('Content-Range')).toBe('bytes 1000-1999/2500');
  second.fail(new Error('connection reset'));
  await until(() => uploader.getSnapshot().files[0]?.attempt === 1, 'a retry scheduled');
  clock.advance(0);
  const query = await http.next('PUT', SESSION);
  expect(query.header('Content-Range')).toBe('bytes */2500');
  query.respond(308, { Range: 'bytes=0-1499' });
  const rest = await http.next('PUT', SESSION);
  expect(rest.header('Content-Range')).toBe('bytes 1500-2499/2500');
  expect(await (rest.body as Blob).arrayBuffer()).toEqual(seeded(2500, 3).slice(1500).buffer);
  rest.respond(201);
  await until(() => uploader.getSnapshot().files[0]?.status === 'completed', 'completed');
  await settle();
  expect(storage.get(resumeKey(ENDPOINT, file))).toBeUndefined();
});
