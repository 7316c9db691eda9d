import { UploadError } from '../../src/core/UploadError.js';
import { KiB, bytes, makeFile, settle, setup, sha, storedBytes, until } from './harness.js';

const network = (): UploadError => new UploadError('network', 'connection reset');
const status = (code: number, retryAfterMs?: number): UploadError =>
  new UploadError('http-status', `HTTP ${code}`, {
    response: { status: code, body: '', headers: {} },
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });

describe('retries in the engine', () => {
  test('waits each fixed delay on the injected clock before the next attempt', async () => {
    const { uploader, protocol, clock, file } = setup({ partSize: 10 * KiB, checksum: false, retry: { delays: [100, 1000, 3000] } });
    for (let i = 0; i < 3; i++) protocol.failNext('sendPart', network());
    uploader.add([makeFile('a.bin', 10 * KiB)]);
    for (const [attempt, delay] of [[1, 100], [2, 1000], [3, 3000]] as const) {
      await until(() => file().attempt === attempt, `attempt ${attempt}`);
      const parts = protocol.count('sendPart');
      clock.advance(delay - 1);
      await settle();
      expect(protocol.count('sendPart')).toBe(parts);
      clock.advance(1);
      await until(() => protocol.count('sendPart') === parts + 1, `retry ${attempt}`);
    }
    await until(() => file().status === 'completed');
    expect(file().attempt).toBe(0);
  });

  test('exponential back-off uses the injected random for jitter', async () => {
    const { uploader, protocol, clock, file } = setup({ checksum: false, random: () => 1, retry: { baseDelay: 1000, jitter: 0.5 } });
    protocol.failNext('sendPart', network());
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => file().attempt === 1);
    clock.advance(499);
    await settle();
    expect(protocol.count('sendPart')).toBe(1);
    clock.advance(1);
    await until(() => file().status === 'completed');
  });

  test('Retry-After wins over a shorter schedule on 429', async () => {
    const { uploader, protocol, clock, file } = setup({ checksum: false, retry: { delays: [100] } });
    protocol.failNext('sendPart', status(429, 5000));
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => file().attempt === 1);
    clock.advance(4999);
    await settle();
    expect(protocol.count('sendPart')).toBe(1);
    clock.advance(1);
    await until(() => file().status === 'completed');
  });

  test('the attempt counter resets after acknowledged progress', async () => {
    const { uploader, protocol, clock, file } = setup({
      partSize: 1000,
      maxPartSize: 1000,
      checksum: false,
      retry: { delays: [10], maxRetries: 1 },
    });
    protocol.hold();
    uploader.add([makeFile('a.bin', 3000)]);
    await until(() => protocol.held.length === 1);
    protocol.held[0]!.reject(network());
    await until(() => file().attempt === 1);
    clock.advance(10);
    await until(() => protocol.held.length === 1);
    await protocol.held[0]!.resolve();
    await until(() => protocol.held[0]?.start === 1000);
    expect(file().attempt).toBe(0);
    // Had the counter not reset, this second failure would exceed maxRetries: 1.
    protocol.held[0]!.reject(network());
    await until(() => file().attempt === 1 || file().status === 'failed');
    expect(file().status).toBe('uploading');
    clock.advance(10);
    for (const start of [1000, 2000]) {
      await until(() => protocol.held[0]?.start === start);
      await protocol.held[0]!.resolve();
    }
    await until(() => file().status === 'completed');
  });

  test('gives up after maxRetries and reports the last error', async () => {
    const { uploader, protocol, clock, file } = setup({ checksum: false, retry: { delays: [10, 10] } });
    for (let i = 0; i < 3; i++) protocol.failNext('sendPart', status(503));
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => file().attempt === 1);
    clock.advance(10);
    await until(() => file().attempt === 2);
    clock.advance(10);
    await until(() => file().status === 'failed');
    expect(file().error?.code).toBe('http-status');
    expect(file().error?.response?.status).toBe(503);
    expect(protocol.count('sendPart')).toBe(3);
  });

  test('no retry storm on 403: fresh credentials once, then fails as unauthorized', async () => {
    const { uploader, protocol, file } = setup({ checksum: false });
    protocol.failNext('sendPart', status(403));
    protocol.failNext('sendPart', status(403));
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => file().status === 'failed');
    expect(file().attempt).toBe(0);
    expect(protocol.count('sendPart')).toBe(2);
    expect(file().error?.code).toBe('unauthorized');
    expect((file().error?.cause as UploadError).response?.status).toBe(403);
  });

  test('shouldRetry is replaceable', async () => {
    const { uploader, protocol, clock, file } = setup({
      checksum: false,
      retry: { delays: [5], shouldRetry: (error) => error.code === 'protocol' },
    });
    protocol.failNext('sendPart', new UploadError('protocol', 'odd answer'));
    protocol.failNext('sendPart', network());
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => file().attempt === 1);
    clock.advance(5);
    await until(() => file().status === 'failed');
    expect(file().error?.code).toBe('network');
  });

  test('before retrying it syncs with the server and continues from the bytes the server kept', async () => {
    const { uploader, protocol, clock, file } = setup({ partSize: 4 * KiB, maxPartSize: 4 * KiB, checksum: false, retry: { delays: [10] } });
    uploader.add([makeFile('a.bin', 10 * KiB, { seed: 9 })]);
    protocol.failNext('sendPart', network(), { keep: 1500 });
    await until(() => file().attempt === 1);
    expect(file().bytesSent).toBe(file().bytesAcknowledged);
    clock.advance(10);
    await until(() => file().status === 'completed');
    const calls = protocol.calls.map((c) => `${c.kind}${c.start !== undefined ? `@${c.start}` : ''}`);
    expect(calls).toEqual(['open', 'sendPart@0', 'sync', 'sendPart@1500', 'sendPart@5596', 'sendPart@9692', 'complete']);
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(10 * KiB, 9)));
  });

  test('retry() restarts a failed file, continuing the same server upload', async () => {
    const { uploader, protocol, file } = setup({ partSize: 1000, checksum: false });
    uploader.add([makeFile('a.bin', 3000, { seed: 4 })]);
    protocol.failNext('sendPart', status(400));
    await until(() => file().status === 'failed');
    uploader.retry(file().id);
    await until(() => file().status === 'completed');
    expect(protocol.uploads.size).toBe(1);
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(3000, 4)));
    expect(file().error).toBeNull();
  });
});

class VanishingFile extends File {
  gone = false;
  override slice(start?: number, end?: number, type?: string): Blob {
    const blob = super.slice(start, end, type);
    if (!this.gone) return blob;
    const fail = (): DOMException => new DOMException('The requested file could not be read', 'NotReadableError');
    return Object.assign(Object.create(Blob.prototype) as Blob, {
      size: blob.size,
      type: blob.type,
      arrayBuffer: () => Promise.reject(fail()),
      stream: () => new ReadableStream({ pull: (c) => c.error(fail()) }),
      slice: () => ({ arrayBuffer: () => Promise.reject(fail()) }),
    });
  }
}

describe('file-changed', () => {
  test('a network error on a file that can no longer be read becomes file-changed, not retried', async () => {
    const { uploader, protocol, file } = setup({ partSize: 1000, checksum: false });
    const source = new VanishingFile([bytes(3000)], 'gone.bin');
    protocol.hold();
    uploader.add([source]);
    await until(() => protocol.held.length === 1);
    await protocol.held[0]!.resolve();
    await until(() => protocol.held.length === 1);
    source.gone = true;
    protocol.held[0]!.reject(network());
    await until(() => file().status === 'failed');
    expect(file().error?.code).toBe('file-changed');
    expect(file().error?.message).toMatch(/choose the file again/i);
    expect(protocol.count('sendPart')).toBe(2);
  });

  test('a plain network error on a readable file stays a retryable network error', async () => {
    const { uploader, protocol, file } = setup({ checksum: false, retry: { delays: [1] } });
    protocol.failNext('sendPart', network());
    uploader.add([new VanishingFile([bytes(10)], 'here.bin')]);
    await until(() => file().attempt === 1);
    expect(file().status).toBe('uploading');
  });

  test('when hashing, an unreadable part fails the file with file-changed', async () => {
    const { uploader, file, protocol } = setup({ partSize: 1000, checksum: 'sha-256' });
    const source = new VanishingFile([bytes(3000)], 'gone.bin');
    source.gone = true;
    uploader.add([source]);
    await until(() => file().status === 'failed');
    expect(file().error?.code).toBe('file-changed');
    expect(protocol.count('sendPart')).toBe(0);
  });
});
