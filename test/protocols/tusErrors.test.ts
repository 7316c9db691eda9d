import { UploadError } from '../../src/core/UploadError.js';
import { tus } from '../../src/protocols/index.js';
import { FakeHttp, tusAnswers } from '../support/fakeHttp.js';
import { ENDPOINT, UPLOAD_URL, bytes, fileInfo, openRequest, openSession, partOf } from './tusTranscript.js';

/** A session whose upload exists, ready for PATCHes of a 1000-byte file. */
async function created(http: FakeHttp) {
  const session = await openSession(tus({ endpoint: ENDPOINT, http }), http, openRequest(fileInfo(1000)));
  const first = session.sendPart(partOf(bytes(1000), 0, 100));
  (await http.next('POST')).respond(201, tusAnswers.created(UPLOAD_URL));
  (await http.next('PATCH')).respond(204, tusAnswers.offset(100));
  await first;
  return session;
}

async function failedPatch(status: number, headers: Record<string, string>, body = '') {
  const http = new FakeHttp();
  const session = await created(http);
  const sending = session.sendPart(partOf(bytes(1000), 100, 200)).catch((error: unknown) => error);
  (await http.next('PATCH', UPLOAD_URL)).respond(status, headers, body);
  const error = await sending;
  expect(error).toBeInstanceOf(UploadError);
  return error as UploadError;
}

describe('tus errors', () => {
  test('460 Checksum Mismatch is a checksum-mismatch error', async () => {
    const error = await failedPatch(460, { 'Tus-Resumable': '1.0.0' }, 'Checksum Mismatch');
    expect(error.code).toBe('checksum-mismatch');
    expect(error.response?.status).toBe(460);
  });

  test('409 offset conflict is an http-status error (the engine retries after sync)', async () => {
    const error = await failedPatch(409, { 'Tus-Resumable': '1.0.0' }, 'Upload-Offset conflict');
    expect(error.code).toBe('http-status');
    expect(error.response?.status).toBe(409);
  });

  test('the error carries method, URL, status, body and Retry-After, also in its message', async () => {
    const error = await failedPatch(503, { 'Retry-After': '2' }, 'try later');
    expect(error.code).toBe('http-status');
    expect(error.request).toEqual({ method: 'PATCH', url: UPLOAD_URL });
    expect(error.response).toMatchObject({ status: 503, body: 'try later', headers: { 'retry-after': '2' } });
    expect(error.retryAfterMs).toBe(2000);
    expect(error.message).toContain(`PATCH ${UPLOAD_URL} → 503: try later`);
  });

  test('a 2xx PATCH without Upload-Offset is a protocol error', async () => {
    const error = await failedPatch(204, { 'Tus-Resumable': '1.0.0' });
    expect(error.code).toBe('protocol');
    expect(error.message).toContain('Upload-Offset');
  });

  test.each(['abc', '250', '50', '-1', '1e2'])('an Upload-Offset of %s for the part [100, 200) is a protocol error', async (value) => {
    const error = await failedPatch(204, { 'Upload-Offset': value });
    expect(error.code).toBe('protocol');
  });

  test('the server may take less than was sent: acknowledged is what it holds beyond the start', async () => {
    const http = new FakeHttp();
    const session = await created(http);
    const sending = session.sendPart(partOf(bytes(1000), 100, 200));
    (await http.next('PATCH')).respond(204, tusAnswers.offset(130));
    await expect(sending).resolves.toEqual({ acknowledged: 30 });
    expect(session.uploaded).toEqual([{ start: 0, end: 130 }]);
  });

  test('a POST without Location is a protocol error; a refused POST an http-status error', async () => {
    const http = new FakeHttp();
    const session = await openSession(tus({ endpoint: ENDPOINT, http }), http, openRequest(fileInfo(10)));
    const first = session.sendPart(partOf(bytes(10), 0, 10));
    (await http.next('POST')).respond(201, { 'Tus-Resumable': '1.0.0' });
    await expect(first).rejects.toMatchObject({ code: 'protocol', request: { method: 'POST', url: ENDPOINT } });
    const second = session.sendPart(partOf(bytes(10), 0, 10));
    (await http.next('POST')).respond(413, {}, 'Maximum size exceeded');
    await expect(second).rejects.toMatchObject({ code: 'http-status', response: { status: 413 } });
  });

  test('no response is a network error naming the request', async () => {
    const http = new FakeHttp();
    const session = await created(http);
    const sending = session.sendPart(partOf(bytes(1000), 100, 200));
    (await http.next('PATCH')).fail(new TypeError('Failed to fetch'));
    await expect(sending).rejects.toMatchObject({ code: 'network', request: { method: 'PATCH', url: UPLOAD_URL } });
  });

  test('aborting the part\'s signal rejects as aborted, not as a failure', async () => {
    const http = new FakeHttp();
    const session = await created(http);
    const controller = new AbortController();
    const sending = session.sendPart(partOf(bytes(1000), 100, 200, { signal: controller.signal }));
    const patch = await http.next('PATCH');
    controller.abort();
    await expect(sending).rejects.toMatchObject({ name: 'UploadError', code: 'aborted' });
    expect(patch.settled).toBe(true);
  });

  test('credentials in the URL never reach the error', async () => {
    const http = new FakeHttp();
    const endpoint = 'https://user:secret@tus.example/files';
    const opening = tus({ endpoint, http }).open(openRequest(fileInfo(10)));
    (await http.next('OPTIONS')).respond(204, tusAnswers.options());
    const session = await opening;
    const sending = session.sendPart(partOf(bytes(10), 0, 10));
    (await http.next('POST')).respond(500, {}, 'boom');
    const error = await sending.catch((e: unknown) => e);
    expect(error).toMatchObject({ request: { url: 'https://tus.example/files' } });
    expect(String((error as Error).message)).not.toContain('secret');
  });
});
