// The protocols' sessions are chunks loaded through import(): tus asks for its session beside the
// OPTIONS, never after it; a load that failed is asked again by the next open; S3 asks for its upload
// while the code loads, and an open that ends meanwhile aborts it. The loads are in the test's hands through doMock.
import type { OpenRequest, UploadFileInfo } from '../../src/core/ports.js';
import { FakeHttp, tusAnswers } from '../support/fakeHttp.js';

const chunk = { loads: 0, failures: 0, gate: null as Promise<void> | null };

function mockChunk(path: string): void {
  vi.doMock(path, async (importOriginal: () => Promise<object>) => {
    chunk.loads++;
    if (chunk.gate) await chunk.gate;
    if (chunk.failures > 0) {
      chunk.failures--;
      throw new TypeError(`Failed to fetch dynamically imported module: ${path}`);
    }
    return importOriginal();
  });
}

beforeEach(() => {
  // A fresh protocol module (nothing loaded yet) and mocks registered afresh (a loaded mock is kept).
  vi.resetModules();
  Object.assign(chunk, { loads: 0, failures: 0, gate: null });
  mockChunk('../../src/protocols/tus/TusSession.js');
  mockChunk('../../src/protocols/s3/sessions.js');
});

const info: UploadFileInfo = { id: 'file-1', name: 'a.bin', size: 10, type: 'application/octet-stream', lastModified: 1, metadata: { filename: 'a.bin' } };
const request = (signal = new AbortController().signal): OpenRequest => ({ file: info, headers: {}, signal });

const turns = async (count = 20): Promise<void> => {
  for (let i = 0; i < count; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** Turns of the event loop until `check` holds (the mock's factory runs a few turns after import()). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 5000 && !check(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
  expect(check()).toBe(true);
}

function held(): () => void {
  let release!: () => void;
  chunk.gate = new Promise<void>((resolve) => (release = resolve));
  return release;
}

test('tus asks for its session code and the OPTIONS at once: neither waits for the other', async () => {
  const { tus } = await import('../../src/protocols/tus/tus.js');
  const http = new FakeHttp();
  const release = held();
  const opening = tus({ endpoint: 'https://t.test/files', http }).open(request());
  // The OPTIONS is out, and the chunk asked for, while neither has answered...
  const options = await http.next('OPTIONS', 'https://t.test/files');
  await until(() => chunk.loads === 1);
  expect(options.settled).toBe(false);
  // ...and the answer to it alone does not finish the open: the session's code is needed too.
  options.respond(204, tusAnswers.options());
  let opened = false;
  void opening.then(() => (opened = true));
  await turns();
  expect(opened).toBe(false);
  release();
  const session = await opening;
  expect(session.capabilities.maxParallelParts).toBe(1);
});

test('tus preload() loads the session before any open; a failed load is asked again by the next open', async () => {
  const { tus } = await import('../../src/protocols/tus/tus.js');
  const http = new FakeHttp();
  const protocol = tus({ endpoint: 'https://t.test/files', http });
  chunk.failures = 1;
  protocol.preload?.();
  await until(() => chunk.loads === 1);
  // Let the failed load settle (and be forgotten).
  await turns();
  const opening = protocol.open(request());
  (await http.next('OPTIONS')).respond(204, tusAnswers.options());
  await opening;
  expect(chunk.loads).toBe(2);
});

test('a tus open whose session code fails to load rejects (the engine retries it as a network failure)', async () => {
  const { tus } = await import('../../src/protocols/tus/tus.js');
  const http = new FakeHttp();
  const protocol = tus({ endpoint: 'https://t.test/files', http });
  chunk.failures = 1;
  const failing = protocol.open(request());
  (await http.next('OPTIONS')).respond(204, tusAnswers.options());
  // (Vitest wraps the mock's error in its own; a browser rejects with the fetch's TypeError.)
  await expect(failing).rejects.toThrow();
  // The next open loads the code again; the server's answer is still known (no second OPTIONS).
  await protocol.open(request());
  expect(chunk.loads).toBe(2);
  expect(http.log.map((r) => r.method)).toEqual(['OPTIONS']);
});

/** An S3 backend that records its calls; only create and abort answer. */
function recordingBackend(calls: string[]) {
  const refuse = (name: string) => (): Promise<never> => {
    calls.push(name);
    return Promise.reject(new Error(`${name} must not be called`));
  };
  return {
    http: new FakeHttp(),
    createMultipartUpload: async () => {
      calls.push('create');
      return { uploadId: 'u1', key: 'k1' };
    },
    signPart: refuse('signPart'),
    listParts: refuse('listParts'),
    completeMultipartUpload: refuse('completeMultipartUpload'),
    abortMultipartUpload: async (upload: { uploadId: string }) => void calls.push(`abort ${upload.uploadId}`),
  };
}

test("s3Multipart asks S3 for a new upload before its sessions' code is here; the session continues that upload", async () => {
  const { s3Multipart } = await import('../../src/protocols/s3/s3Multipart.js');
  const calls: string[] = [];
  const protocol = s3Multipart(recordingBackend(calls));
  const release = held();
  const opening = protocol.open({ ...request(), file: { ...info, size: 64 * 1024 * 1024 } });
  await until(() => chunk.loads === 1);
  expect(calls).toEqual(['create']);
  release();
  const session = await opening;
  await until(() => session.resumeRecord() !== undefined);
  expect(session.resumeRecord()?.state).toMatchObject({ uploadId: 'u1', key: 'k1' });
  expect(calls).toEqual(['create']);
});

test.each([
  ['paused while they load', true],
  ['their chunk fails to load', false],
])('s3Multipart: an open that ends before its sessions load (%s) aborts the upload it began on S3', async (_name, pause) => {
  const { s3Multipart } = await import('../../src/protocols/s3/s3Multipart.js');
  const calls: string[] = [];
  const protocol = s3Multipart(recordingBackend(calls));
  const release = held();
  if (!pause) chunk.failures = 1;
  const controller = new AbortController();
  const opening = protocol.open({ ...request(controller.signal), file: { ...info, size: 64 * 1024 * 1024 } });
  await until(() => chunk.loads === 1);
  if (pause) controller.abort(new Error('paused'));
  release();
  // (Vitest wraps a failed mock's error in its own: only the pause's message is ours.)
  await expect(opening).rejects.toThrow(pause ? 'paused' : undefined);
  await until(() => calls.length === 2);
  expect(calls).toEqual(['create', 'abort u1']);
});
