import { createUploader } from '../../src/core/createUploader.js';
import { memoryUrlStorage, resumeKey } from '../../src/core/resumeStorage.js';
import type { Uploader, UploaderOptions } from '../../src/core/types.js';
import type { UploadError } from '../../src/core/UploadError.js';
import { tus } from '../../src/protocols/index.js';
import { bytes, settle, sha, track, until } from '../core/harness.js';
import { createFakeClock, type FakeClock } from '../support/fakeClock.js';
import { FakeHttp, tusAnswers, type PendingRequest } from '../support/fakeHttp.js';
import { ENDPOINT, UPLOAD_URL, fileInfo, openRequest } from './tusTranscript.js';

/**
 * The engine with the real tus protocol over a scripted HTTP port: each test makes one request
 * hang the way a server that never answers does, and a tiny in-memory tus server answers the rest.
 */

const RESPONSE_TIMEOUT = 4000;

/** Answers tus requests for one upload at UPLOAD_URL, keeping its bytes. */
class TinyTusServer {
  offset = 0;
  readonly bytes: Uint8Array;

  constructor(
    readonly size: number,
    readonly extensions = 'creation,termination',
  ) {
    this.bytes = new Uint8Array(size);
  }

  async answer(request: PendingRequest): Promise<void> {
    const length = { 'Upload-Length': String(this.size) };
    switch (request.method) {
      case 'OPTIONS':
        return request.respond(204, tusAnswers.options(this.extensions));
      case 'POST':
        return request.respond(201, tusAnswers.created(UPLOAD_URL, request.body ? tusAnswers.offset(0) : {}));
      case 'HEAD':
        return request.respond(200, tusAnswers.offset(this.offset, length));
      case 'DELETE':
        return request.respond(204, { 'Tus-Resumable': '1.0.0' });
      case 'PATCH': {
        const body = request.body instanceof Blob ? new Uint8Array(await request.body.arrayBuffer()) : (request.body ?? new Uint8Array(0));
        this.bytes.set(body, Number(request.header('Upload-Offset')));
        this.offset += body.length;
        return request.respond(204, tusAnswers.offset(this.offset));
      }
    }
  }
}

interface Rig {
  uploader: Uploader;
  http: FakeHttp;
  clock: FakeClock;
  storage: ReturnType<typeof memoryUrlStorage>;
  /** Every error the retry policy was asked about. */
  retried: UploadError[];
  file(): ReturnType<Uploader['getSnapshot']>['files'][number];
}

function rig(options: Partial<UploaderOptions> = {}): Rig {
  const clock = createFakeClock(1_000_000);
  const http = new FakeHttp();
  const storage = memoryUrlStorage();
  const retried: UploadError[] = [];
  const uploader = createUploader({
    protocol: tus({ endpoint: ENDPOINT, http }),
    clock,
    resume: storage,
    random: () => 0.5,
    partSize: 1000,
    maxPartSize: 1000,
    checksum: false,
    responseTimeout: RESPONSE_TIMEOUT,
    retry: { delays: [0, 0, 0], shouldRetry: (error) => void retried.push(error) === undefined },
    ...options,
  });
  track(uploader);
  return { uploader, http, clock, storage, retried, file: () => uploader.getSnapshot().files[0]! };
}

/** Answer every request until the file completes (retry delays of 0 ms run as the clock is nudged). */
async function serveUntilCompleted(r: Rig, server: TinyTusServer): Promise<void> {
  for (let turn = 0; turn < 5000 && r.file().status !== 'completed'; turn++) {
    if (r.http.unread > 0) await server.answer(await r.http.next());
    else await new Promise<void>((resolve) => setImmediate(resolve));
    r.clock.advance(0);
  }
  expect(r.file()).toMatchObject({ status: 'completed', error: null });
}

/** The request hangs from now: nothing at responseTimeout - 1 ms, aborted as a 'timeout' at responseTimeout exactly. */
function expectTimeoutAtExactly(r: Rig, request: PendingRequest): void {
  r.clock.advance(RESPONSE_TIMEOUT - 1);
  expect(request.signal?.aborted).toBe(false);
  r.clock.advance(1);
  expect(request.signal?.aborted).toBe(true);
  expect(request.signal?.reason).toMatchObject({ code: 'timeout' });
}

const source = (size: number, seed: number): File => new File([bytes(size, seed)], 'photo.jpg', { type: 'image/jpeg', lastModified: 1 });

describe('tus requests that never get an answer', () => {
  test('OPTIONS: times out at responseTimeout naming the request, a new OPTIONS is sent, and the upload completes', async () => {
    const r = rig();
    const file = source(2500, 1);
    r.uploader.add([file]);
    const hung = await r.http.next('OPTIONS', ENDPOINT);
    expectTimeoutAtExactly(r, hung);
    await until(() => r.retried.length === 1, 'the retry decision');
    expect(r.retried[0]).toMatchObject({ code: 'timeout', request: { method: 'OPTIONS', url: ENDPOINT } });
    expect(r.retried[0]?.message).toBe(`No answer to open within ${RESPONSE_TIMEOUT} ms (OPTIONS ${ENDPOINT})`);
    const server = new TinyTusServer(file.size);
    await serveUntilCompleted(r, server);
    expect(sha(server.bytes)).toBe(sha(bytes(2500, 1)));
    expect(r.http.log.map((q) => q.method)).toEqual(['OPTIONS', 'OPTIONS', 'POST', 'PATCH', 'PATCH', 'PATCH']);
  });

  test('HEAD on resume: times out at responseTimeout, is retried, and the upload goes on from the server\'s offset', async () => {
    const r = rig();
    const file = source(2500, 2);
    const server = new TinyTusServer(file.size);
    server.bytes.set(bytes(2500, 2).subarray(0, 1000));
    server.offset = 1000;
    await r.storage.set(resumeKey(ENDPOINT, file), { url: UPLOAD_URL, createdAt: 1, expiresAt: 2_000_000_000_000 });
    r.uploader.add([file]);
    await server.answer(await r.http.next('OPTIONS'));
    const hung = await r.http.next('HEAD', UPLOAD_URL);
    expectTimeoutAtExactly(r, hung);
    await until(() => r.retried.length === 1, 'the retry decision');
    expect(r.retried[0]).toMatchObject({ code: 'timeout', request: { method: 'HEAD', url: UPLOAD_URL } });
    await serveUntilCompleted(r, server);
    expect(r.file().resumed).toBe(true);
    expect(sha(server.bytes)).toBe(sha(bytes(2500, 2)));
    expect(r.http.log.map((q) => q.method)).toEqual(['OPTIONS', 'HEAD', 'HEAD', 'PATCH', 'PATCH']);
  });

  test('HEAD after a failed PATCH: times out at responseTimeout, is retried, and the upload completes', async () => {
    const r = rig();
    const file = source(2500, 3);
    const server = new TinyTusServer(file.size);
    r.uploader.add([file]);
    await server.answer(await r.http.next('OPTIONS'));
    await server.answer(await r.http.next('POST'));
    await server.answer(await r.http.next('PATCH'));
    (await r.http.next('PATCH')).fail();
    await until(() => r.retried.length === 1, 'the failed PATCH');
    r.clock.advance(0);
    const hung = await r.http.next('HEAD', UPLOAD_URL);
    expectTimeoutAtExactly(r, hung);
    await until(() => r.retried.length === 2, 'the retry decision');
    expect(r.retried[1]).toMatchObject({ code: 'timeout', request: { method: 'HEAD', url: UPLOAD_URL } });
    await serveUntilCompleted(r, server);
    expect(sha(server.bytes)).toBe(sha(bytes(2500, 3)));
  });

  test('the creating POST without a body: a timeout, not before responseTimeout; retried, and the upload completes', async () => {
    const r = rig();
    const file = source(2500, 4);
    const server = new TinyTusServer(file.size);
    r.uploader.add([file]);
    await server.answer(await r.http.next('OPTIONS'));
    const hung = await r.http.next('POST', ENDPOINT);
    expect(hung.body ?? null).toBeNull();
    r.clock.advance(RESPONSE_TIMEOUT);
    expect(hung.signal?.aborted).toBe(false);
    // Checked a quarter of the limit at a time, like a sent body awaiting its answer.
    r.clock.advance(RESPONSE_TIMEOUT / 4);
    expect(hung.signal?.reason).toMatchObject({ code: 'timeout' });
    await until(() => r.retried.length === 1, 'the retry decision');
    expect(r.retried[0]?.code).toBe('timeout');
    await serveUntilCompleted(r, server);
    expect(sha(server.bytes)).toBe(sha(bytes(2500, 4)));
  });

  test('the POST that creates an empty file with its empty body: a timeout, not before responseTimeout; retried, completes', async () => {
    const r = rig();
    const server = new TinyTusServer(0, 'creation,creation-with-upload,termination');
    r.uploader.add([source(0, 5)]);
    await server.answer(await r.http.next('OPTIONS'));
    const hung = await r.http.next('POST', ENDPOINT);
    expect(hung.body).toBeInstanceOf(Blob);
    r.clock.advance(RESPONSE_TIMEOUT);
    expect(hung.signal?.aborted).toBe(false);
    r.clock.advance(RESPONSE_TIMEOUT / 4);
    expect(hung.signal?.reason).toMatchObject({ code: 'timeout' });
    await until(() => r.retried.length === 1, 'the retry decision');
    await serveUntilCompleted(r, server);
    expect(r.http.log.map((q) => q.method)).toEqual(['OPTIONS', 'POST', 'POST']);
  });

  test('DELETE on cancel: the cancel finishes at responseTimeout, canceled, record removed, nothing failed', async () => {
    const r = rig();
    const file = source(3000, 6);
    const server = new TinyTusServer(file.size);
    r.uploader.add([file]);
    await server.answer(await r.http.next('OPTIONS'));
    await server.answer(await r.http.next('POST'));
    await server.answer(await r.http.next('PATCH'));
    const patch = await r.http.next('PATCH');
    const key = resumeKey(ENDPOINT, file);
    expect((await r.storage.get(key))?.url).toBe(UPLOAD_URL);
    let canceled = false;
    void r.uploader.cancel(r.file().id).then(() => (canceled = true));
    expect(patch.signal?.aborted).toBe(true);
    const hung = await r.http.next('DELETE', UPLOAD_URL);
    expect(r.file().status).toBe('canceled');
    r.clock.advance(RESPONSE_TIMEOUT - 1);
    await settle();
    expect(canceled).toBe(false);
    r.clock.advance(1);
    expect(hung.signal?.reason).toMatchObject({ code: 'timeout' });
    await until(() => canceled, 'the cancel to finish');
    expect(r.file()).toMatchObject({ status: 'canceled', error: null });
    expect(await r.storage.get(key)).toBeUndefined();
    expect(r.uploader.getSnapshot().memory.leasedBuffers).toBe(0);
    expect(r.retried).toEqual([]);
    expect(r.clock.pending()).toBe(0);
  });
});

describe('the shared OPTIONS', () => {
  test('is abandoned only when the last waiting open gives up; the next open asks again', async () => {
    const http = new FakeHttp();
    const protocol = tus({ endpoint: ENDPOINT, http });
    const [first, second] = [new AbortController(), new AbortController()];
    const opens = [first, second].map((c) => protocol.open(openRequest(fileInfo(1), { signal: c.signal })));
    const options = await http.next('OPTIONS');
    first.abort();
    await expect(opens[0]).rejects.toMatchObject({ code: 'aborted', request: { method: 'OPTIONS', url: ENDPOINT } });
    expect(options.signal?.aborted).toBe(false);
    second.abort();
    await expect(opens[1]).rejects.toMatchObject({ code: 'aborted' });
    expect(options.signal?.aborted).toBe(true);
    const third = protocol.open(openRequest(fileInfo(1)));
    (await http.next('OPTIONS')).respond(204, tusAnswers.options('creation,checksum', { 'Tus-Checksum-Algorithm': 'sha256' }));
    expect((await third).capabilities.checksum).toBe('sha-256');
  });
});
