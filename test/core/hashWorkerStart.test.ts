// Node environment on purpose: a stand-in Worker records when the hash worker is created and ended,
// and the hashing chunk's import is held (mocked) until the test lets it load. Order of events only,
// never timing: the worker must be created before the chunk arrives, so both scripts load side by side.
import type { Uploader, UploaderOptions } from '../../src/core/types.js';
import { memoryUrlStorage } from '../../src/core/resumeStorage.js';
import { createFakeClock, type FakeClock } from '../support/fakeClock.js';
import { createFakeProtocol, type FakeProtocol } from '../support/fakeProtocol.js';
import { bytes, makeFile, sha, storedBytes, track, until } from './harness.js';

const state = {
  events: [] as string[],
  /** What the mocked chunk waits for; a rejected gate fails the chunk's load. */
  gate: Promise.resolve() as Promise<void>,
};

/** The hashing chunk, held until the gate opens (registered anew for each test's fresh module graph). */
function holdHashingChunk(): void {
  vi.doMock('../../src/core/hashing.js', async (importOriginal: () => Promise<typeof import('../../src/core/hashing.js')>) => {
    state.events.push('chunk requested');
    await state.gate;
    state.events.push('chunk loaded');
    return importOriginal();
  });
}

/** Enough of a dedicated Worker for spawnHashWorker and LeaseHasher. */
class StandInWorker {
  static all: StandInWorker[] = [];
  onmessage: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onmessageerror: ((event: Event) => void) | null = null;
  readonly requests: unknown[] = [];
  terminated = false;
  constructor() {
    state.events.push('worker created');
    StandInWorker.all.push(this);
  }
  postMessage(message: unknown): void {
    this.requests.push(message);
  }
  terminate(): void {
    this.terminated = true;
    state.events.push('worker ended');
  }
}

/** The worker's first event, its target set as the browser sets it: 'message' (ready, id -1) or a failed load. */
function fire(worker: StandInWorker, type: 'message' | 'error'): void {
  const event = type === 'message' ? new MessageEvent('message', { data: { id: -1 } }) : new Event('error');
  Object.defineProperty(event, 'target', { value: worker });
  (type === 'message' ? worker.onmessage : worker.onerror)?.(event);
}

let release: () => void = () => {};
let fail: (error: Error) => void = () => {};

beforeEach(() => {
  state.events = [];
  StandInWorker.all = [];
  state.gate = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  // Not awaited by the test when it fails: the chunk's import reports it.
  state.gate.catch(() => {});
  vi.stubGlobal('Worker', StandInWorker);
  vi.resetModules();
  holdHashingChunk();
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.doUnmock('../../src/core/hashing.js');
});

/**
 * An uploader of a fresh module graph (vi.resetModules: its chunk import meets the mock anew), with one
 * CRC'd file added; resolves once the hashing chunk was requested.
 */
async function startHashedUpload(options: Partial<UploaderOptions> = {}): Promise<{ uploader: Uploader; status(): string | undefined; clock: FakeClock; protocol: FakeProtocol }> {
  const { createUploader } = await import('../../src/core/createUploader.js');
  const clock = createFakeClock(1_000_000);
  const protocol = createFakeProtocol({ clock });
  const uploader = track(createUploader({ protocol, clock, resume: memoryUrlStorage(), checksum: 'crc32c', ...options }));
  uploader.add([makeFile('a', 10_000)]);
  await until(() => state.events.includes('chunk requested'), 'the hashing chunk to be requested');
  return { uploader, status: () => uploader.getSnapshot().files[0]?.status, clock, protocol };
}

/** The upload's parts all carry the SHA-256 of their bytes (the fake server checked each), and the file arrived whole. */
function expectVerifiedUpload(protocol: FakeProtocol): void {
  const parts = protocol.calls.filter((call) => call.kind === 'sendPart');
  expect(parts.length).toBeGreaterThan(0);
  for (const part of parts) expect(part.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(sha(storedBytes(protocol))).toBe(sha(bytes(10_000)));
}

test('the hash worker is created before the hashing chunk is imported, not after it loaded', async () => {
  const { uploader } = await startHashedUpload();
  expect(state.events).toEqual(['worker created', 'chunk requested']);
  // Its ready message comes before the chunk: caught on creation, so the hasher that loads later uses it.
  fire(StandInWorker.all[0]!, 'message');
  release();
  await until(() => StandInWorker.all[0]!.requests.length > 0, 'a hash request to the worker');
  expect(StandInWorker.all[0]!.requests[0]).toMatchObject({ id: 0, algorithm: 'crc32c' });
  expect(StandInWorker.all).toHaveLength(1);
  uploader.destroy();
  expect(StandInWorker.all[0]!.terminated).toBe(true);
});

test.each([
  ['before', true],
  ['after', false],
] as const)('destroy() while the chunk loads ends the worker (its script loaded %s the destroy)', async (_when, readyFirst) => {
  const { uploader } = await startHashedUpload();
  const [worker] = StandInWorker.all;
  if (readyFirst) fire(worker!, 'message');
  uploader.destroy();
  release();
  await until(() => state.events.includes('chunk loaded'), 'the chunk');
  if (!readyFirst) fire(worker!, 'message');
  await until(() => worker!.terminated, 'the worker to end');
  expect(worker!.requests).toEqual([]);
});

test('a chunk that fails to load ends its worker; the retry starts both again, and hashes', async () => {
  const { uploader, status } = await startHashedUpload({ retry: { maxRetries: 0 } });
  fail(new Error('the network dropped'));
  await until(() => status() === 'failed', 'the attempt to fail');
  expect(StandInWorker.all[0]!.terminated).toBe(true);
  // The next attempt: the chunk loads this time; its new worker fails to load (hashing on the page).
  state.gate = Promise.resolve();
  uploader.retry();
  await until(() => StandInWorker.all.length === 2, 'a second worker');
  fire(StandInWorker.all[1]!, 'error');
  await until(() => status() === 'completed', 'the upload');
  expect(StandInWorker.all[1]!.terminated).toBe(true);
  expect(state.events.filter((event) => event === 'chunk requested')).toHaveLength(2);
});

test('a worker that dies after its ready message, while the chunk loads, is ended, not adopted: parts hash on the page', async () => {
  const { status, protocol } = await startHashedUpload({ checksum: 'sha-256' });
  const [worker] = StandInWorker.all;
  // Ready, then dead (an uncaught error in its script), both before the hasher exists to listen.
  fire(worker!, 'message');
  fire(worker!, 'error');
  release();
  // Adopted, it would take the first hash and never answer: the upload would stall, retry and stall again.
  await until(() => worker!.terminated || worker!.requests.length > 0, 'the worker to end or take a hash');
  expect(worker!.requests).toEqual([]);
  expect(worker!.terminated).toBe(true);
  await until(() => status() === 'completed', 'the upload');
  expectVerifiedUpload(protocol);
});

test('a worker that takes a hash and never answers (hung, no error) is ended at the stall: the retry hashes on the page', async () => {
  const { status, clock, protocol } = await startHashedUpload({ checksum: 'sha-256', stallTimeout: 1000, retry: { delays: [0] } });
  const [worker] = StandInWorker.all;
  fire(worker!, 'message');
  release();
  await until(() => worker!.requests.length === 1, 'the hash request');
  // No progress for longer than stallTimeout (fake time; the watch checks every quarter of it): the
  // hash gives up as 'stalled'.
  clock.advance(1250);
  expect(worker!.terminated).toBe(true);
  // Runs due timers only (the retry's delay is 0): no more fake time passes, so nothing else stalls.
  await until(() => {
    clock.advance(0);
    return status() === 'completed' || worker!.requests.length > 1;
  }, 'the upload, or a second hash sent to the hung worker');
  expect(worker!.requests).toHaveLength(1);
  expect(status()).toBe('completed');
  expectVerifiedUpload(protocol);
});
