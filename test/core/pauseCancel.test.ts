import { memoryUrlStorage, resumeKey } from '../../src/core/resumeStorage.js';
import { UploadError } from '../../src/core/UploadError.js';
import { KiB, bytes, makeFile, settle, setup, sha, storedBytes, until } from './harness.js';

describe('pause and resume', () => {
  test('pause aborts the request, rolls bytesSent back, keeps the session; resume syncs and continues from the server range', async () => {
    const { uploader, protocol, clock, file } = setup({ partSize: 10 * KiB, maxPartSize: 10 * KiB, checksum: false });
    protocol.hold();
    uploader.add([makeFile('a.bin', 30 * KiB, { seed: 5 })]);
    await until(() => protocol.held.length === 1);
    await protocol.held[0]!.resolve();
    await until(() => protocol.held[0]?.start === 10 * KiB);
    const second = protocol.held[0]!;
    second.progress(5 * KiB);
    clock.advance(100);
    expect(file()).toMatchObject({ bytesSent: 15 * KiB, bytesAcknowledged: 10 * KiB });
    uploader.pause(file().id);
    expect(second.signal.aborted).toBe(true);
    expect(file()).toMatchObject({ status: 'paused', bytesSent: 10 * KiB, bytesAcknowledged: 10 * KiB, error: null });
    // Meanwhile the server kept 3 KiB of the aborted request (tus servers store what arrived).
    const upload = [...protocol.uploads.values()][0]!;
    upload.bytes.set(bytes(30 * KiB, 5).subarray(10 * KiB, 13 * KiB), 10 * KiB);
    upload.received = [{ start: 0, end: 13 * KiB }];
    await settle();
    expect(file().status).toBe('paused');
    uploader.resume(file().id);
    await until(() => protocol.held.length === 1);
    expect(protocol.held[0]!.start).toBe(13 * KiB);
    expect(protocol.calls.filter((c) => c.kind === 'open')).toHaveLength(1);
    expect(protocol.calls.at(-2)?.kind).toBe('sync');
    protocol.hold(false);
    await protocol.held[0]!.resolve();
    await until(() => file().status === 'completed');
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(30 * KiB, 5)));
  });

  test('pause() without an id pauses everything, queued files included; resume() resumes all', async () => {
    const { uploader, protocol } = setup({ concurrency: 1, checksum: false });
    protocol.hold();
    uploader.add([makeFile('a', 100), makeFile('b', 100)]);
    await until(() => protocol.held.length === 1);
    uploader.pause();
    await settle();
    expect(uploader.getSnapshot().files.map((f) => f.status)).toEqual(['paused', 'paused']);
    expect(protocol.count('open')).toBe(1);
    protocol.hold(false);
    uploader.resume();
    await until(() => uploader.getSnapshot().totals.completed === 2);
  });
});

describe('cancel', () => {
  test('aborts, terminates the server upload, removes the resume record, returns every buffer; never an error', async () => {
    const storage = memoryUrlStorage();
    const { uploader, protocol, file } = setup({ partSize: 10 * KiB, memoryBudget: 10 * KiB, checksum: 'sha-256', concurrency: 2, resume: storage });
    protocol.hold();
    const statuses = new Set<string>();
    uploader.subscribe(() => uploader.getSnapshot().files.forEach((f) => statuses.add(f.status)));
    const a = makeFile('a.bin', 40 * KiB);
    uploader.add([a, makeFile('b.bin', 40 * KiB)]);
    await until(() => protocol.held.length === 2);
    expect(await storage.get(resumeKey(protocol.endpoint, a))).toBeDefined();
    await uploader.cancel();
    expect(uploader.getSnapshot().files.map((f) => f.status)).toEqual(['canceled', 'canceled']);
    expect(protocol.calls.filter((c) => c.kind === 'terminate').map((c) => c.url).sort()).toEqual([
      'https://fake.test/files/1',
      'https://fake.test/files/2',
    ]);
    expect(await storage.get(resumeKey(protocol.endpoint, a))).toBeUndefined();
    expect(uploader.getSnapshot().memory).toMatchObject({ leasedBuffers: 0, inFlightBytes: 0 });
    expect(file().error).toBeNull();
    expect(statuses.has('failed')).toBe(false);
    await settle();
    expect(protocol.count('sendPart')).toBe(2);
  });

  test('a queued file is canceled without any request; a completed file is left alone', async () => {
    const { uploader, protocol } = setup({ autoStart: false, checksum: false });
    const { accepted } = uploader.add([makeFile('a', 10), makeFile('b', 10)]);
    uploader.start(accepted[0]);
    await until(() => uploader.getSnapshot().files[0]?.status === 'completed');
    await uploader.cancel();
    await settle();
    expect(uploader.getSnapshot().files.map((f) => f.status)).toEqual(['completed', 'canceled']);
    expect(protocol.calls.filter((c) => c.file === 'b')).toEqual([]);
    expect(protocol.count('terminate')).toBe(0);
  });

  test('a failed terminate request is swallowed: cancellation is not a failure', async () => {
    const { uploader, protocol, file } = setup({ checksum: false });
    protocol.hold();
    protocol.failNext('terminate', new UploadError('network', 'offline'));
    uploader.add([makeFile('a', 10)]);
    await until(() => protocol.held.length === 1);
    await expect(uploader.cancel()).resolves.toBeUndefined();
    expect(protocol.count('terminate')).toBe(1);
    expect(file()).toMatchObject({ status: 'canceled', error: null });
  });

  test('cancel of a paused file still terminates its server upload', async () => {
    const { uploader, protocol, file } = setup({ checksum: false });
    protocol.hold();
    uploader.add([makeFile('a', 10)]);
    await until(() => protocol.held.length === 1);
    uploader.pause();
    await settle();
    await uploader.cancel(file().id);
    expect(protocol.count('terminate')).toBe(1);
    expect([...protocol.uploads.values()][0]?.terminated).toBe(true);
  });
});
