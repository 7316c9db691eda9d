import { KiB, MiB, makeFile, setup, settle, sha, storedBytes, until, bytes } from './harness.js';
import { UploadError } from '../../src/core/UploadError.js';
import { UPLOADER_DEFAULTS } from '../../src/core/createUploader.js';

describe('createUploader: a whole upload', () => {
  test('uploads a file in parts, byte for byte, and completes', async () => {
    const { uploader, protocol, file } = setup({ partSize: 64 * KiB, checksum: false });
    const source = makeFile('a.bin', 200 * KiB + 7, { seed: 3 });
    const { accepted } = uploader.add([source]);
    expect(accepted).toEqual(['file-1']);
    await until(() => file().status === 'completed', 'completion');
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(200 * KiB + 7, 3)));
    expect(protocol.count('complete')).toBe(1);
    const snap = file();
    expect(snap.bytesAcknowledged).toBe(source.size);
    expect(snap.bytesSent).toBe(source.size);
    expect(snap.progress).toBe(1);
    expect(uploader.getSnapshot().totals).toMatchObject({ completed: 1, bytesTotal: source.size, progress: 1 });
    expect(MiB).toBeGreaterThan(0);
  });
});

describe('createUploader refuses sizes it cannot pool, at creation', () => {
  // The pool comes with the first hash; a size that rounds down to 0 bytes must still fail here.
  test.each([
    ['memoryBudget', 0.5],
    ['partSize', 0.9],
    ['partSize', 0],
    ['memoryBudget', Number.NaN],
    ['partSize', Infinity],
  ])('%s: %s', (name, value) => {
    expect(() => setup({ [name]: value })).toThrow(new RangeError(`createUploader: \`${name}\` must be a positive number`));
  });
});

describe('configure({ key: undefined }) puts the default back (useUpload sends undefined for a removed option)', () => {
  test('autoStart: undefined starts queued files, as the default true would have', async () => {
    const { uploader, file } = setup({ autoStart: false, checksum: false });
    uploader.add([makeFile('a', 100)]);
    await settle();
    expect(file().status).toBe('queued');
    uploader.configure({ autoStart: undefined });
    await until(() => file().status === 'completed', 'the queued file to upload');
  });

  test('autoStart: undefined makes later files start by themselves', async () => {
    const { uploader, file } = setup({ autoStart: false, checksum: false });
    uploader.configure({ autoStart: undefined });
    uploader.add([makeFile('a', 100)]);
    await until(() => file().status === 'completed', 'the added file to upload');
  });

  test('concurrency: undefined lets the default number of files run', async () => {
    const { uploader, protocol } = setup({ concurrency: 1, checksum: false });
    const defaultConcurrency = UPLOADER_DEFAULTS.concurrency;
    protocol.hold();
    uploader.add(Array.from({ length: defaultConcurrency + 2 }, (_, i) => makeFile(`f${i}`, 100)));
    await until(() => protocol.held.length === 1);
    uploader.configure({ concurrency: undefined });
    await until(() => protocol.held.length === defaultConcurrency);
    await settle();
    expect(uploader.getSnapshot().totals.active).toBe(defaultConcurrency);
  });

  test('restrictions: undefined accepts what the removed rules refused', () => {
    const { uploader } = setup({ restrictions: { accept: ['.pdf'], maxFiles: 1 } });
    expect(uploader.add([makeFile('a.bin', 10)]).rejected).toHaveLength(1);
    uploader.configure({ restrictions: undefined });
    expect(uploader.add([makeFile('b.bin', 10), makeFile('c.bin', 10)]).accepted).toHaveLength(2);
  });

  test('headers, stallTimeout and responseTimeout: undefined send no headers and use the default timeouts', async () => {
    const { uploader, protocol, clock } = setup({
      checksum: false,
      headers: { 'X-V': '1' },
      stallTimeout: 1000,
      responseTimeout: 1000,
    });
    uploader.configure({ headers: undefined, stallTimeout: undefined, responseTimeout: undefined });
    protocol.hold();
    uploader.add([makeFile('a', 100)]);
    await until(() => protocol.held.length === 1);
    const part = protocol.held[0]!;
    expect(protocol.calls.map((c) => c.headers)).toEqual([{}, {}]);
    part.progress(50);
    clock.advance(30_000);
    expect(part.signal.aborted).toBe(false);
    part.progress(100);
    clock.advance(120_000);
    expect(part.signal.aborted).toBe(false);
    clock.advance(30_000);
    expect(part.signal.reason).toMatchObject({ code: 'timeout' });
  });

  test('retry: undefined brings back the default five retries', async () => {
    const { uploader, protocol, clock, file } = setup({ checksum: false, retry: { maxRetries: 0 } });
    uploader.configure({ retry: undefined });
    protocol.failNext('open', new UploadError('network', 'reset'));
    uploader.add([makeFile('a', 100)]);
    await until(() => file().attempt === 1, 'a retry');
    clock.advance(60_000);
    await until(() => file().status === 'completed');
  });
});
