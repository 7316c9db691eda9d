import { bytes, makeFile, settle, setup, sha, storedBytes, until } from './harness.js';

const options = { partSize: 1000, maxPartSize: 1000, checksum: false as const, stallTimeout: 1000, retry: { delays: [0] } };

describe('stall detection in requests', () => {
  test('aborts a request with a retryable "stalled" error after stallTimeout without progress', async () => {
    const { uploader, protocol, clock, file } = setup(options);
    protocol.hold();
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => protocol.held.length === 1);
    const first = protocol.held[0]!;
    first.progress(100);
    clock.advance(1000);
    expect(first.signal.aborted).toBe(false);
    clock.advance(250);
    expect(first.signal.aborted).toBe(true);
    expect(first.signal.reason).toMatchObject({ code: 'stalled' });
    await until(() => file().attempt === 1);
    clock.advance(0);
    await until(() => protocol.held.length === 1 && protocol.held[0] !== first, 'the retried request');
    expect(protocol.calls.map((c) => c.kind)).toEqual(['open', 'sendPart', 'sync', 'sendPart']);
    await protocol.held[0]!.resolve();
    await until(() => file().status === 'completed');
  });

  test('is not armed before the first progress event', async () => {
    const { uploader, protocol, clock } = setup(options);
    protocol.hold();
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => protocol.held.length === 1);
    clock.advance(60_000);
    await settle();
    expect(protocol.held[0]!.signal.aborted).toBe(false);
    expect(protocol.count('sendPart')).toBe(1);
  });

  test('is not a stall while waiting for the answer after the whole body was sent', async () => {
    const { uploader, protocol, clock, file } = setup(options);
    protocol.hold();
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => protocol.held.length === 1);
    const part = protocol.held[0]!;
    part.progress(500);
    clock.advance(500);
    part.progress(1000);
    clock.advance(60_000);
    await settle();
    expect(part.signal.aborted).toBe(false);
    await part.resolve();
    await until(() => file().status === 'completed');
  });

  test('each progress event re-arms it', async () => {
    const { uploader, protocol, clock } = setup(options);
    protocol.hold();
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => protocol.held.length === 1);
    const part = protocol.held[0]!;
    for (let loaded = 10; loaded < 100; loaded += 10) {
      part.progress(loaded);
      clock.advance(900);
    }
    expect(part.signal.aborted).toBe(false);
    clock.advance(400);
    expect(part.signal.aborted).toBe(true);
  });

  test('stallTimeout can be changed live with configure()', async () => {
    const { uploader, protocol, clock } = setup(options);
    protocol.hold();
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => protocol.held.length === 1);
    uploader.configure({ stallTimeout: 10_000 });
    const part = protocol.held[0]!;
    part.progress(10);
    clock.advance(5000);
    expect(part.signal.aborted).toBe(false);
    clock.advance(7500);
    expect(part.signal.aborted).toBe(true);
  });

  test('aborts with a retryable "timeout" error when no answer comes responseTimeout after the whole body was sent', async () => {
    const { uploader, protocol, clock, file } = setup({ ...options, responseTimeout: 4000 });
    protocol.hold();
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => protocol.held.length === 1);
    const first = protocol.held[0]!;
    first.progress(1000);
    clock.advance(4000);
    expect(first.signal.aborted).toBe(false);
    clock.advance(1000);
    expect(first.signal.aborted).toBe(true);
    expect(first.signal.reason).toMatchObject({ code: 'timeout' });
    await until(() => file().attempt === 1);
    clock.advance(0);
    await until(() => protocol.held.length === 1 && protocol.held[0] !== first, 'the retried request');
    await protocol.held[0]!.resolve();
    await until(() => file().status === 'completed');
    expect(file().error).toBeNull();
  });

  test('waits 120 s for an answer by default', async () => {
    const { uploader, protocol, clock } = setup(options);
    protocol.hold();
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => protocol.held.length === 1);
    const part = protocol.held[0]!;
    part.progress(1000);
    clock.advance(120_000);
    expect(part.signal.aborted).toBe(false);
    clock.advance(30_000);
    expect(part.signal.reason).toMatchObject({ code: 'timeout' });
  });

  test('a request that sends bytes again after a full body is judged by stallTimeout again', async () => {
    // tus: a creating POST whose body the server ignored is followed by a PATCH of the same part.
    const { uploader, protocol, clock } = setup({ ...options, responseTimeout: 100_000 });
    protocol.hold();
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => protocol.held.length === 1);
    const part = protocol.held[0]!;
    part.progress(1000);
    clock.advance(10_000);
    part.progress(10);
    clock.advance(1000);
    expect(part.signal.aborted).toBe(false);
    clock.advance(250);
    expect(part.signal.reason).toMatchObject({ code: 'stalled' });
  });

  test('a timed-out part that keeps failing ends as a failed file with the "timeout" code', async () => {
    const { uploader, protocol, clock, file } = setup({ ...options, responseTimeout: 4000, retry: { maxRetries: 0 } });
    protocol.hold();
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => protocol.held.length === 1);
    protocol.held[0]!.progress(1000);
    clock.advance(5000);
    await until(() => file().status === 'failed');
    expect(file().error?.code).toBe('timeout');
    expect(file().error?.message).toContain('4000 ms');
  });
});

describe('stall detection in file reads', () => {
  /** A file whose first read never answers, as a blob read the browser lost would; later reads work.
   * Its 1000 bytes make one part, so the part reads the File itself, not a slice of it. */
  class HangOnceFile extends File {
    reads = 0;
    // Not a byte stream: reads take the copying path through arrayBuffer(), the one made to hang.
    override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
      return new ReadableStream<Uint8Array<ArrayBuffer>>();
    }
    override arrayBuffer(): Promise<ArrayBuffer> {
      return this.reads++ === 0 ? new Promise<ArrayBuffer>(() => {}) : super.arrayBuffer();
    }
  }

  test('a read with no progress for stallTimeout is abandoned as "stalled", retried, and the upload completes', async () => {
    const { uploader, protocol, clock, file } = setup({ ...options, checksum: 'sha-256' });
    const source = bytes(1000, 3);
    const hanging = new HangOnceFile([source], 'a.bin');
    uploader.add([hanging]);
    await until(() => hanging.reads === 1, 'the first read');
    clock.advance(1000);
    await settle();
    expect(file().status).toBe('uploading');
    expect(file().attempt).toBe(0);
    clock.advance(250);
    await until(() => file().attempt === 1, 'the read given up');
    clock.advance(0);
    await until(() => file().status === 'completed');
    // The abandoned read, the retry's read, and the fake server reading the body it was sent.
    expect(hanging.reads).toBe(3);
    expect(protocol.count('sendPart')).toBe(1);
    expect(sha(storedBytes(protocol))).toBe(sha(source));
    expect(uploader.getSnapshot().memory.leasedBuffers).toBe(0);
  });

  test('a read that stays stuck fails the file with the "stalled" code once retries are spent', async () => {
    const { uploader, clock, file } = setup({ ...options, checksum: 'sha-256', retry: { maxRetries: 0 } });
    const hanging = new HangOnceFile([bytes(1000)], 'a.bin');
    uploader.add([hanging]);
    await until(() => hanging.reads === 1, 'the first read');
    clock.advance(1250);
    await until(() => file().status === 'failed');
    expect(file().error).toMatchObject({ code: 'stalled', message: 'Reading the file made no progress for 1000 ms' });
  });
});
