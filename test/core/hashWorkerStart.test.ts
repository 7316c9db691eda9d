// Node environment on purpose: a stand-in Worker records when the hash worker is created and ended,
// and the hashing chunk's import is held (mocked) until the test lets it load. Order of events only,
// never timing: the worker must be created before the chunk arrives, so both scripts load side by side.
import type { Uploader, UploaderOptions } from '../../src/core/types.js';
import { memoryUrlStorage } from '../../src/core/resumeStorage.js';
import { createFakeClock } from '../support/fakeClock.js';
import { createFakeProtocol } from '../support/fakeProtocol.js';
import { makeFile, track, until } from './harness.js';

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
async function startHashedUpload(options: Partial<UploaderOptions> = {}): Promise<{ uploader: Uploader; status(): string | undefined }> {
  const { createUploader } = await import('../../src/core/createUploader.js');
  const clock = createFakeClock(1_000_000);
  const uploader = track(createUploader({ protocol: createFakeProtocol({ clock }), clock, resume: memoryUrlStorage(), checksum: 'crc32c', ...options }));
  uploader.add([makeFile('a', 10_000)]);
  await until(() => state.events.includes('chunk requested'), 'the hashing chunk to be requested');
  return { uploader, status: () => uploader.getSnapshot().files[0]?.status };
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
