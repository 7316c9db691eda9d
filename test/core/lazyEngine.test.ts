// The part pipeline (Attempt.ts) is a chunk loaded through import() when a file is added
// (loadAttempt.ts). Here its load is in the test's hands: it can fail as a dropped network does, or
// hang until the test lets it go. Not through harness.ts, which loads the chunk up front.
import { memoryUrlStorage } from '../../src/core/resumeStorage.js';
import { createFakeClock } from '../support/fakeClock.js';
import { createFakeProtocol } from '../support/fakeProtocol.js';

const chunk = { loads: 0, failures: 0, gate: null as Promise<void> | null };

const file = (name: string, size: number): File => new File([new Uint8Array(size).fill(7)], name);

/** Event-loop turns: the mocked import settles on a later turn, as a fetched chunk does. */
async function turns(count = 40): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Turns of the event loop until `check` holds: the real module behind the mock may need a transform first. */
async function until(check: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 20_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

const statusOf = (uploader: { getSnapshot(): { files: readonly { status: string }[] } }): string | undefined => uploader.getSnapshot().files[0]?.status;

beforeEach(() => {
  // Each test gets a loadAttempt module that has loaded nothing yet, and a mock that has loaded nothing
  // (a mock's module, once loaded, is kept across resetModules: doMock registers it afresh).
  vi.resetModules();
  Object.assign(chunk, { loads: 0, failures: 0, gate: null });
  vi.doMock('../../src/core/Attempt.js', async (importOriginal: () => Promise<object>) => {
    chunk.loads++;
    if (chunk.gate) await chunk.gate;
    if (chunk.failures > 0) {
      chunk.failures--;
      throw new TypeError('Failed to fetch dynamically imported module: /assets/Attempt.js');
    }
    return importOriginal();
  });
});

test('creating an uploader loads nothing; adding a file starts the load (and the protocol preload) before any upload runs', async () => {
  const { createUploader: create } = await import('../../src/core/createUploader.js');
  let preloads = 0;
  const protocol = Object.assign(createFakeProtocol(), { preload: () => void preloads++ });
  const uploader = create({ protocol, resume: memoryUrlStorage(), autoStart: false });
  await turns();
  expect(chunk.loads).toBe(0);
  expect(preloads).toBe(0);
  uploader.add([file('a.bin', 10)]);
  expect(preloads).toBe(1);
  await turns();
  expect(chunk.loads).toBe(1);
  // autoStart is off: the code is there, nothing was opened.
  expect(protocol.count('open')).toBe(0);
  uploader.destroy();
});

test('a chunk that fails to load fails the attempt as a retryable failure; the retry imports it again and completes', async () => {
  const { createUploader: create } = await import('../../src/core/createUploader.js');
  const clock = createFakeClock(1_000_000);
  const protocol = createFakeProtocol({ clock });
  const uploader = create({ protocol, clock, resume: memoryUrlStorage(), random: () => 0.5, checksum: false, retry: { delays: [1000] } });
  chunk.failures = 1;
  uploader.add([file('a.bin', 100)]);
  await turns();
  const failed = uploader.getSnapshot().files[0]!;
  // Waiting for its retry, not failed for good; no part was sent without the pipeline.
  expect(failed.status).toBe('uploading');
  expect(failed.attempt).toBe(1);
  expect(protocol.count('sendPart')).toBe(0);
  expect(chunk.loads).toBe(1);
  clock.advance(1000);
  // Completing is the proof: a kept rejection would fail this retry too (the mock fails only once).
  // Not a count of the mock's loads: under a loaded run Vitest's module runner has served the second
  // import without calling the factory again (1 run of ~10 of the whole suite).
  await until(() => statusOf(uploader) === 'completed', 'the retry to complete');
  expect([...protocol.uploads.values()][0]!.bytes).toEqual(new Uint8Array(100).fill(7));
  uploader.destroy();
});

test('a failed preload is not kept: the upload imports the chunk again and goes through on its first attempt', async () => {
  const { createUploader: create } = await import('../../src/core/createUploader.js');
  const protocol = createFakeProtocol();
  const uploader = create({ protocol, resume: memoryUrlStorage(), checksum: false, autoStart: false });
  chunk.failures = 1;
  uploader.add([file('a.bin', 10)]);
  await turns();
  expect(chunk.loads).toBe(1);
  uploader.start();
  // Attempt 0 completing is the proof (a kept rejection would fail it); not the mock's load count, see above.
  await until(() => statusOf(uploader) === 'completed', 'the upload to complete');
  const done = uploader.getSnapshot().files[0]!;
  expect(done.status).toBe('completed');
  expect(done.attempt).toBe(0);
  uploader.destroy();
});

test('destroy while the chunk loads leaves nothing running: no part, no timer, no error', async () => {
  const { createUploader: create } = await import('../../src/core/createUploader.js');
  const clock = createFakeClock(1_000_000);
  const protocol = createFakeProtocol({ clock });
  const uploader = create({ protocol, clock, resume: memoryUrlStorage(), checksum: false });
  let release!: () => void;
  chunk.gate = new Promise<void>((resolve) => (release = resolve));
  uploader.add([file('a.bin', 100)]);
  await turns();
  expect(chunk.loads).toBe(1);
  // Opened (the open does not wait for the chunk), then waiting for the pipeline.
  expect(protocol.count('open')).toBe(1);
  uploader.destroy();
  release();
  // The real module loads (the mock's importOriginal), and the run that waited for it unwinds.
  await import('../../src/core/Attempt.js');
  await turns();
  expect(protocol.count('sendPart')).toBe(0);
  expect(protocol.count('complete')).toBe(0);
  expect(clock.pending()).toBe(0);
  const after = uploader.getSnapshot().files[0]!;
  expect(after.error).toBeNull();
});

test('a pause while the chunk loads sends nothing; resume sends the file', async () => {
  const { createUploader: create } = await import('../../src/core/createUploader.js');
  const protocol = createFakeProtocol();
  const uploader = create({ protocol, resume: memoryUrlStorage(), checksum: false });
  let release!: () => void;
  chunk.gate = new Promise<void>((resolve) => (release = resolve));
  const [id] = uploader.add([file('a.bin', 100)]).accepted;
  await turns();
  uploader.pause(id);
  release();
  await import('../../src/core/Attempt.js');
  await turns();
  expect(protocol.count('sendPart')).toBe(0);
  expect(uploader.getSnapshot().files[0]!.status).toBe('paused');
  uploader.resume(id);
  await until(() => statusOf(uploader) === 'completed', 'the resumed upload to complete');
  uploader.destroy();
});
