import type { ResumeRecord } from '../../src/core/ports.js';
import { tus } from '../../src/protocols/index.js';
import { FakeHttp, tusAnswers } from '../support/fakeHttp.js';
import { ENDPOINT, UPLOAD_URL, bytes, fileInfo, openRequest, partOf } from './tusTranscript.js';

const record: ResumeRecord = { url: UPLOAD_URL, createdAt: 1, expiresAt: 2_000_000_000_000 };

async function resume(http: FakeHttp, size: number) {
  const opening = tus({ endpoint: ENDPOINT, http }).open(openRequest(fileInfo(size), { resume: record }));
  (await http.next('OPTIONS')).respond(204, tusAnswers.options());
  const head = await http.next('HEAD', UPLOAD_URL);
  return { opening, head };
}

describe('tus resume', () => {
  test('HEAD on the saved URL: the server\'s offset is what is uploaded', async () => {
    const http = new FakeHttp();
    const { opening, head } = await resume(http, 1000);
    expect(head.header('Tus-Resumable')).toBe('1.0.0');
    head.respond(200, tusAnswers.offset(600, { 'Upload-Length': '1000' }));
    const session = await opening;
    expect(session.uploaded).toEqual([{ start: 0, end: 600 }]);
    expect(session.resumeRecord()?.url).toBe(UPLOAD_URL);

    const sending = session.sendPart(partOf(bytes(1000), 600, 1000));
    const patch = await http.next('PATCH', UPLOAD_URL);
    expect(patch.header('Upload-Offset')).toBe('600');
    patch.respond(204, tusAnswers.offset(1000));
    await expect(sending).resolves.toEqual({ acknowledged: 400 });
    expect(http.log.map((r) => r.method)).toEqual(['OPTIONS', 'HEAD', 'PATCH']);
  });

  test('an offset of 0 means nothing uploaded yet, but the upload is reused (no POST)', async () => {
    const http = new FakeHttp();
    const { opening, head } = await resume(http, 10);
    head.respond(200, tusAnswers.offset(0, { 'Upload-Length': '10' }));
    const session = await opening;
    expect(session.uploaded).toEqual([]);
    void session.sendPart(partOf(bytes(10), 0, 10));
    expect((await http.next()).method).toBe('PATCH');
  });

  test.each([401, 403])('HEAD answering %i refuses the credentials (the engine asks headers() again): an error, not a fresh start', async (status) => {
    const http = new FakeHttp();
    const { opening, head } = await resume(http, 10);
    head.respond(status, { 'Tus-Resumable': '1.0.0' });
    await expect(opening).rejects.toMatchObject({ code: 'http-status', response: { status } });
  });

  test.each([404, 410])('HEAD answering %i starts afresh: no ranges, no record, the next part creates', async (status) => {
    const http = new FakeHttp();
    const { opening, head } = await resume(http, 10);
    head.respond(status, { 'Tus-Resumable': '1.0.0' });
    const session = await opening;
    expect(session.uploaded).toEqual([]);
    expect(session.resumeRecord()).toBeUndefined();
    void session.sendPart(partOf(bytes(10), 0, 10));
    expect((await http.next()).method).toBe('POST');
  });

  test('a saved URL whose upload has another length belongs to another file: start afresh', async () => {
    const http = new FakeHttp();
    const { opening, head } = await resume(http, 10);
    head.respond(200, tusAnswers.offset(5, { 'Upload-Length': '11' }));
    const session = await opening;
    expect(session.uploaded).toEqual([]);
    expect(session.resumeRecord()).toBeUndefined();
  });

  test('a 500 on HEAD is an error the engine may retry, not a fresh start', async () => {
    const http = new FakeHttp();
    const { opening, head } = await resume(http, 10);
    head.respond(500, {}, 'db down');
    await expect(opening).rejects.toMatchObject({ code: 'http-status', response: { status: 500 } });
  });

  test('a HEAD without Upload-Offset is a protocol error', async () => {
    const http = new FakeHttp();
    const { opening, head } = await resume(http, 10);
    head.respond(200, { 'Tus-Resumable': '1.0.0' });
    await expect(opening).rejects.toMatchObject({ code: 'protocol' });
  });

  test('sync() asks the server again after a failure and takes its offset', async () => {
    const http = new FakeHttp();
    const { opening, head } = await resume(http, 1000);
    head.respond(200, tusAnswers.offset(100, { 'Upload-Length': '1000' }));
    const session = await opening;
    const syncing = session.sync({}, new AbortController().signal);
    (await http.next('HEAD', UPLOAD_URL)).respond(200, tusAnswers.offset(350, { 'Upload-Length': '1000' }));
    await syncing;
    expect(session.uploaded).toEqual([{ start: 0, end: 350 }]);
  });

  test('Upload-Expires becomes the record\'s expiry', async () => {
    const http = new FakeHttp();
    const { opening, head } = await resume(http, 10);
    const expires = 'Wed, 25 Nov 2026 10:00:00 GMT';
    head.respond(200, tusAnswers.offset(0, { 'Upload-Length': '10', 'Upload-Expires': expires }));
    const session = await opening;
    expect(session.resumeRecord()).toEqual({ url: UPLOAD_URL, expiresAt: Date.parse(expires) });
  });
});

describe('tus termination', () => {
  test('terminate() DELETEs the upload; 404 and 410 count as done', async () => {
    for (const status of [204, 404, 410]) {
      const http = new FakeHttp();
      const { opening, head } = await resume(http, 10);
      head.respond(200, tusAnswers.offset(3, { 'Upload-Length': '10' }));
      const session = await opening;
      const terminating = session.terminate({ Authorization: 'x' });
      const del = await http.next('DELETE', UPLOAD_URL);
      expect(del.header('Tus-Resumable')).toBe('1.0.0');
      expect(del.header('Authorization')).toBe('x');
      del.respond(status, { 'Tus-Resumable': '1.0.0' });
      await terminating;
      expect(session.resumeRecord()).toBeUndefined();
    }
  });

  test('a refused DELETE is reported', async () => {
    const http = new FakeHttp();
    const { opening, head } = await resume(http, 10);
    head.respond(200, tusAnswers.offset(3, { 'Upload-Length': '10' }));
    const session = await opening;
    const terminating = session.terminate({});
    (await http.next('DELETE')).respond(400, {}, 'Cannot terminate an already completed upload');
    await expect(terminating).rejects.toMatchObject({ code: 'http-status', request: { method: 'DELETE', url: UPLOAD_URL } });
  });

  test('terminating before the upload was created sends nothing', async () => {
    const http = new FakeHttp();
    const opening = tus({ endpoint: ENDPOINT, http }).open(openRequest(fileInfo(10)));
    (await http.next('OPTIONS')).respond(204, tusAnswers.options());
    await (await opening).terminate({});
    expect(http.log.map((r) => r.method)).toEqual(['OPTIONS']);
  });
});
