// When a file is added whose parts will certainly be hashed (an algorithm named, or 'auto' with a
// protocol that declares `autoChecksum`), the hashing chunk and the hash worker load then, beside the
// protocol's code, not after open() on the first hash. An upload that will not hash loads neither.
// Node environment: a stand-in Worker and a mocked hashing chunk record what loads; order of events
// only, never timing.
import type { ChecksumAlgorithm } from '../../src/core/ports.js';
import type { UploaderOptions } from '../../src/core/types.js';
import { memoryUrlStorage } from '../../src/core/resumeStorage.js';
import { s3Multipart } from '../../src/protocols/s3/s3Multipart.js';
import { tus } from '../../src/protocols/tus/tus.js';
import { createFakeClock } from '../support/fakeClock.js';
import { createFakeProtocol } from '../support/fakeProtocol.js';
import { bytes, makeFile, settle, track, until } from './harness.js';

const events: string[] = [];

/** Enough of a dedicated Worker for spawnHashWorker; its script "fails to load", so parts hash on the page. */
class StandInWorker {
  static all: StandInWorker[] = [];
  onmessage: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onmessageerror: ((event: Event) => void) | null = null;
  constructor() {
    events.push('worker created');
    StandInWorker.all.push(this);
  }
  postMessage(): void {}
  terminate(): void {}
  fail(): void {
    const event = new Event('error');
    Object.defineProperty(event, 'target', { value: this });
    this.onerror?.(event);
  }
}

beforeEach(() => {
  events.length = 0;
  StandInWorker.all = [];
  vi.stubGlobal('Worker', StandInWorker);
  // A fresh module graph per test: the chunk's import meets the mock anew.
  vi.resetModules();
  vi.doMock('../../src/core/hashing.js', async (importOriginal: () => Promise<typeof import('../../src/core/hashing.js')>) => {
    events.push('hashing chunk requested');
    return importOriginal();
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.doUnmock('../../src/core/hashing.js');
});

/** A fake server that verifies `verified` (null: nothing), whose protocol may declare `autoChecksum`. */
async function uploaderWith(verified: ChecksumAlgorithm | null, autoChecksum: ChecksumAlgorithm | undefined, options: Partial<UploaderOptions> = {}) {
  const { createUploader } = await import('../../src/core/createUploader.js');
  const clock = createFakeClock(1_000_000);
  const fake = createFakeProtocol({ clock, capabilities: { checksum: verified } });
  const open = fake.open.bind(fake);
  const protocol = Object.assign(fake, {
    ...(autoChecksum ? { autoChecksum } : {}),
    open: (request: Parameters<typeof open>[0]) => {
      events.push('open');
      return open(request);
    },
  });
  const uploader = track(createUploader({ protocol, clock, resume: memoryUrlStorage(), ...options }));
  return { uploader, fake, status: () => uploader.getSnapshot().files[0]?.status };
}

test("'auto' with a protocol that declares its algorithm: adding the file loads the hashing chunk before open()", async () => {
  const { uploader, fake, status } = await uploaderWith('sha-256', 'sha-256', { autoStart: false });
  uploader.add([makeFile('a', 10_000)]);
  // Started nothing: only the add can have asked for it.
  await until(() => events.includes('hashing chunk requested'), 'the hashing chunk to be requested');
  expect(events).toEqual(['worker created', 'hashing chunk requested']);
  uploader.start();
  await until(() => events.includes('open'), 'open()');
  StandInWorker.all[0]!.fail();
  await until(() => status() === 'completed', 'the upload');
  // One worker, one chunk: the first hash used what the add loaded.
  expect(events).toEqual(['worker created', 'hashing chunk requested', 'open']);
  const [stored] = [...fake.uploads.values()];
  expect(stored!.bytes).toEqual(bytes(10_000));
  expect(fake.parts('a').every((part) => part.sha256 !== undefined)).toBe(true);
});

test('with autoStart, the worker starts (and its chunk is asked for) within add(), before open()', async () => {
  const { uploader, status } = await uploaderWith('sha-256', 'sha-256');
  uploader.add([makeFile('a', 10_000)]);
  // Synchronous in add(): the worker, then the chunk's import in the same call.
  expect(events).toEqual(['worker created']);
  await until(() => events.includes('open') && events.includes('hashing chunk requested'), 'open() and the chunk');
  StandInWorker.all[0]!.fail();
  await until(() => status() === 'completed', 'the upload');
  expect(events.indexOf('worker created')).toBeLessThan(events.indexOf('open'));
  expect(StandInWorker.all).toHaveLength(1);
});

test('a named algorithm loads the hashing at add, whatever the protocol declares', async () => {
  const { uploader } = await uploaderWith('crc32', undefined, { autoStart: false, checksum: 'crc32' });
  uploader.add([makeFile('a', 100)]);
  await until(() => events.includes('hashing chunk requested'), 'the hashing chunk to be requested');
  expect(events).toEqual(['worker created', 'hashing chunk requested']);
});

test.each([
  ["'auto' with a protocol that declares nothing (tus on a server without the checksum extension)", undefined, {}],
  ['checksum: false, whatever the protocol declares', 'sha-256' as const, { checksum: false as const }],
])('%s: nothing hashing-related loads, at add or after', async (_name, autoChecksum, options) => {
  const { uploader, fake, status } = await uploaderWith(null, autoChecksum, options);
  uploader.add([makeFile('a', 10_000)]);
  await until(() => status() === 'completed', 'the upload');
  await settle();
  expect(events).toEqual(['open']);
  expect(fake.parts('a').every((part) => part.sha256 === undefined)).toBe(true);
  expect(uploader.getSnapshot().memory.buffersCreated).toBe(0);
});

test("the protocols' declarations: S3 multipart its algorithm (none when it has none), tus none", () => {
  const backend = { endpoint: 'https://backend.test/s3' };
  expect(s3Multipart(backend).autoChecksum).toBe('crc32c');
  expect(s3Multipart({ ...backend, checksumAlgorithm: 'sha-256' }).autoChecksum).toBe('sha-256');
  expect(s3Multipart({ ...backend, checksumAlgorithm: false }).autoChecksum).toBeUndefined();
  expect(tus({ endpoint: 'https://tus.test/files' }).autoChecksum).toBeUndefined();
});
