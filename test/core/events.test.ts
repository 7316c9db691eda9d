import type { BatchSummary, FileSnapshot, UploadResult } from '../../src/index.js';
import { UploadError } from '../../src/core/UploadError.js';
import { KiB, makeFile, settle, setup, until } from './harness.js';

describe('events and per-file promises', () => {
  test('onFileAdded, onProgress, onSuccess with the upload URL, onComplete with the batch; done resolves with the same result', async () => {
    const seen: string[] = [];
    const progress: number[] = [];
    const successes: [FileSnapshot, UploadResult][] = [];
    const summaries: BatchSummary[] = [];
    const { uploader, protocol, clock } = setup({
      partSize: 10 * KiB,
      maxPartSize: 10 * KiB,
      checksum: false,
      concurrency: 1,
      onFileAdded: (file) => seen.push(`added ${file.name}`),
      onProgress: (file) => progress.push(file.bytesSent),
      onSuccess: (file, result) => successes.push([file, result]),
      onComplete: (summary) => summaries.push(summary),
    });
    protocol.hold();
    const { files } = uploader.add([makeFile('a.bin', 20 * KiB), makeFile('b.bin', 1 * KiB, { seed: 2 })]);
    expect(files.map((h) => h.file.name)).toEqual(['a.bin', 'b.bin']);
    await settle();
    expect(seen).toEqual(['added a.bin', 'added b.bin']);
    await until(() => protocol.held.length === 1);
    protocol.held[0]!.progress(4 * KiB);
    clock.advance(200);
    await settle();
    expect(progress).toContain(4 * KiB);
    protocol.hold(false);
    await protocol.held[0]!.resolve();
    const [a, b] = await Promise.all(files.map((h) => h.done));
    const urls = [...protocol.uploads.values()].map((u) => u.url);
    expect(a).toMatchObject({ status: 'completed', result: { url: urls[0] } });
    expect(b).toMatchObject({ status: 'completed', result: { url: urls[1] } });
    await settle();
    expect(successes.map(([file, result]) => [file.name, result.url])).toEqual([
      ['a.bin', urls[0]],
      ['b.bin', urls[1]],
    ]);
    // One batch, reported once, after the last file: nothing ran on afterwards.
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.successful.map((f) => f.name)).toEqual(['a.bin', 'b.bin']);
    expect(uploader.getSnapshot().files.map((f) => [f.url, f.result?.url])).toEqual([
      [urls[0], urls[0]],
      [urls[1], urls[1]],
    ]);
  });

  test('what complete() returned (S3: location, key, ETag) reaches onSuccess, done and the snapshot; url is the location', async () => {
    const returned = { location: 'https://bucket.test/a.bin', key: 'a.bin', etag: '"abc-1"' };
    const onSuccess = vi.fn();
    const { uploader, protocol, file } = setup({ checksum: false, onSuccess });
    const open = protocol.open.bind(protocol);
    protocol.open = async (request) => {
      const session = await open(request);
      const complete = session.complete.bind(session);
      return Object.assign(Object.create(session), { complete: async (...args: Parameters<typeof complete>) => (await complete(...args), returned) });
    };
    const outcome = await uploader.add([makeFile('a.bin', 3 * KiB)]).files[0]!.done;
    expect(outcome).toMatchObject({ status: 'completed', result: returned });
    await settle();
    expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ id: file().id }), expect.objectContaining(returned));
    expect(file()).toMatchObject({ url: returned.location, result: expect.objectContaining(returned) });
  });

  test('a file that fails for good calls onError once and rejects done with the same UploadError; onComplete lists it', async () => {
    const onError = vi.fn();
    const onSuccess = vi.fn();
    const onComplete = vi.fn();
    const { uploader, protocol } = setup({ checksum: false, retry: { maxRetries: 0 }, onError, onSuccess, onComplete });
    // 400: a client error the default policy does not retry (a 401/403 would first ask headers() again).
    protocol.failNext('sendPart', new UploadError('http-status', 'boom', { response: { status: 400, body: '', headers: {} } }));
    const { files } = uploader.add([makeFile('bad.bin', 2 * KiB)]);
    const error = await files[0]!.done.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UploadError);
    expect((error as UploadError).code).toBe('http-status');
    await settle();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![1]).toBe(error);
    expect(onSuccess).not.toHaveBeenCalled();
    expect(onComplete).toHaveBeenCalledWith({ successful: [], failed: [expect.objectContaining({ name: 'bad.bin' })], canceled: [] });
  });

  test('cancel resolves done with { status: "canceled" } and calls no onError; a rejected file rejects at once', async () => {
    const onError = vi.fn();
    const { uploader, protocol } = setup({ checksum: false, onError, restrictions: { maxFileSize: 10 * KiB } });
    protocol.hold();
    const { files, rejected } = uploader.add([makeFile('a.bin', 4 * KiB), makeFile('big.bin', 20 * KiB)]);
    expect(rejected).toHaveLength(1);
    await expect(files[1]!.done).rejects.toMatchObject({ code: 'rejected-file' });
    await until(() => protocol.held.length === 1);
    await uploader.cancel(files[0]!.id);
    await expect(files[0]!.done).resolves.toMatchObject({ status: 'canceled' });
    await settle();
    expect(onError).not.toHaveBeenCalled();
  });

  test('destroy() rejects open handles as aborted; an unawaited handle raises no unhandled rejection', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const { uploader, protocol } = setup({ checksum: false });
      protocol.hold();
      const { files } = uploader.add([makeFile('a.bin', 4 * KiB), makeFile('b.bin', 4 * KiB)]);
      await until(() => protocol.held.length >= 1);
      uploader.destroy();
      await expect(files[0]!.done).rejects.toMatchObject({ code: 'aborted' });
      await settle();
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  test('callbacks run after the engine step, so a callback may remove its file; configure() swaps callbacks', async () => {
    const first = vi.fn();
    const { uploader } = setup({ checksum: false, onSuccess: first });
    const second = vi.fn((file: FileSnapshot) => uploader.remove(file.id));
    uploader.configure({ onSuccess: second });
    await uploader.add([makeFile('a.bin', 1 * KiB)]).files[0]!.done;
    await settle();
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
    expect(uploader.getSnapshot().files).toHaveLength(0);
  });
});
