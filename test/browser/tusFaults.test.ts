import { commands } from 'vitest/browser';
import { tus } from '../../src/index.js';
import type { Clock, HttpRequest } from '../../src/index.js';
import {
  MiB,
  RecordingHttp,
  expectStoredExactly,
  randomFile,
  settled,
  testScope,
  uploadId,
  uploaderTracker,
} from './tusHarness.js';

const uploaders = uploaderTracker();
afterEach(() => uploaders.checkAndDestroyAll());

const oneMiBParts = { partSize: MiB, maxPartSize: MiB, memoryBudget: 4 * MiB };

/** Real timers that remember every delay asked for, so a test can see what the engine waited for. */
function recordingClock(): Clock & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    now: () => Date.now(),
    setTimeout: (callback, ms) => {
      delays.push(ms);
      return setTimeout(callback, ms);
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

describe('server faults against a real @tus/server', () => {
  test('a 503 with Retry-After: 1 is retried after the second the server asked for, and completes', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'fail', method: 'PATCH', status: 503, retryAfter: 1, scope });
    const clock = recordingClock();
    const source = randomFile(4 * MiB, 'unavailable.bin');
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files' }), ...oneMiBParts, clock, retry: { delays: [0] }, headers: { 'X-Test-Scope': scope },
    });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    await expectStoredExactly('/files', file, source);
    const patches = (await commands.tusRequestLog('/files', scope)).filter((e) => e.method === 'PATCH');
    expect(patches.map((e) => e.status)).toEqual([503, 204, 204, 204, 204]);
    expect(patches[0]?.uploadOffset).toBe(patches[1]?.uploadOffset);
    // The retry schedule said 0 ms; only Retry-After makes it 1000.
    expect(clock.delays).toContain(1000);
  });

  test('a body corrupted on the way is refused with 460, retried, and stored byte for byte', async () => {
    const scope = testScope();
    await commands.injectFault('/files-checksum', { type: 'corrupt', method: 'PATCH', scope });
    const source = randomFile(4 * MiB, 'corrupted-once.bin');
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files-checksum' }), ...oneMiBParts, retry: { delays: [0] }, headers: { 'X-Test-Scope': scope },
    });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    await expectStoredExactly('/files-checksum', file, source);
    const patches = (await commands.tusRequestLog('/files-checksum', scope)).filter((e) => e.method === 'PATCH');
    expect(patches.map((e) => [e.status, e.bytesStored])).toEqual([[460, 0], [204, MiB], [204, MiB], [204, MiB], [204, MiB]]);
  });

  test('a checksum that never matches fails as checksum-mismatch once retries run out, and nothing is kept', async () => {
    const scope = testScope();
    const wrongDigest = btoa(String.fromCharCode(...new Uint8Array(32)));
    const http = new RecordingHttp((request: HttpRequest) =>
      request.headers['Upload-Checksum'] ? { ...request, headers: { ...request.headers, 'Upload-Checksum': `sha256 ${wrongDigest}` } } : request,
    );
    const source = randomFile(3 * MiB, 'never-matches.bin');
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files-checksum', http }), ...oneMiBParts, retry: { delays: [0, 0] }, headers: { 'X-Test-Scope': scope },
    });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    expect(file.status).toBe('failed');
    expect(file.error?.code).toBe('checksum-mismatch');
    expect(file.error?.response?.status).toBe(460);
    const patches = (await commands.tusRequestLog('/files-checksum', scope)).filter((e) => e.method === 'PATCH');
    expect(patches.map((e) => e.status)).toEqual([460, 460, 460]);
    expect(await commands.storedSize('/files-checksum', uploadId(file.url))).toBe(0);
  });

  test('a server that stops reading mid-body is detected as a stall, and the upload goes on from its offset', async () => {
    const scope = testScope();
    // Far longer than the test may run: only stall detection can get past it.
    await commands.injectFault('/files', { type: 'stall', method: 'PATCH', afterBytes: 256 * 1024, ms: 600_000, scope });
    const source = randomFile(48 * MiB, 'stalled.bin');
    const http = new RecordingHttp();
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files', http }),
      // Parts far larger than what socket buffers absorb, so the browser really stops sending.
      partSize: 32 * MiB,
      maxPartSize: 32 * MiB,
      stallTimeout: 1500,
      // The stall is what this test is about; a later request that gets no answer (rare, on a loaded
      // machine, while the test server lets go of the stalled PATCH) is the response timeout's business.
      responseTimeout: 20_000,
      retry: { delays: [0, 0] },
      headers: { 'X-Test-Scope': scope },
    });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    await expectStoredExactly('/files', file, source);
    // The engine itself gave up on the first PATCH for its silence: a stall, not a response timeout.
    // (Read from the request, not from snapshots: a retry that recovers at once may never be published.)
    expect(http.sent.find((r) => r.method === 'PATCH')?.abortedAs).toBe('stalled');
    const patches = (await commands.tusRequestLog('/files', scope)).filter((e) => e.method === 'PATCH');
    expect(patches[0]?.bytesStored).toBeGreaterThanOrEqual(256 * 1024);
    expect(patches[0]?.bytesStored).toBeLessThan(32 * MiB);
    expect(patches[1]?.uploadOffset).toBe(patches[0]?.bytesStored);
  });
});
