import { KiB, MiB, makeFile, setup, sha, storedBytes, until, bytes } from './harness.js';

describe('createUploader: a whole upload', () => {
  test('uploads a file in parts, byte for byte, and completes', async () => {
    const { uploader, protocol, file } = setup({ chunkSize: 64 * KiB, checksum: false });
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
