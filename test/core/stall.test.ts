import { makeFile, settle, setup, until } from './harness.js';

const options = { chunkSize: 1000, maxChunkSize: 1000, checksum: false as const, stallTimeout: 1000, retry: { delays: [0] } };

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
