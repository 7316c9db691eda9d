import { makeFile, settle, setup, until } from './harness.js';

describe('snapshot', () => {
  test('getSnapshot returns the same object while nothing changed', async () => {
    const { uploader, protocol, clock } = setup({ checksum: false });
    const empty = uploader.getSnapshot();
    expect(uploader.getSnapshot()).toBe(empty);
    expect(Object.isFrozen(empty)).toBe(true);
    protocol.hold();
    uploader.add([makeFile('a', 1000)]);
    await until(() => protocol.held.length === 1);
    clock.advance(1000);
    const before = uploader.getSnapshot();
    await settle();
    clock.advance(1000);
    expect(uploader.getSnapshot()).toBe(before);
    expect(before).not.toBe(empty);
  });

  test('status changes notify promptly; progress is coalesced to one notification per progressInterval', async () => {
    const { uploader, protocol, clock, file } = setup({ checksum: false, progressInterval: 100 });
    protocol.hold();
    let notified = 0;
    uploader.subscribe(() => notified++);
    uploader.add([makeFile('a', 1000)]);
    await until(() => protocol.held.length === 1);
    expect(file().status).toBe('uploading');
    clock.advance(100);
    notified = 0;
    const part = protocol.held[0]!;
    const published = uploader.getSnapshot();
    for (const loaded of [100, 200, 300, 400]) part.progress(loaded);
    await settle();
    expect(notified).toBe(0);
    expect(uploader.getSnapshot()).toBe(published);
    clock.advance(99);
    expect(notified).toBe(0);
    clock.advance(1);
    expect(notified).toBe(1);
    expect(file().bytesSent).toBe(400);
    expect(file().bytesAcknowledged).toBe(0);
    clock.advance(1000);
    expect(notified).toBe(1);
    await part.resolve();
    await settle();
    expect(file().status).toBe('completed');
    expect(notified).toBe(2);
  });

  test('listeners hear of a change even when getSnapshot() already showed it', async () => {
    const { uploader } = setup({ autoStart: false });
    let notified = 0;
    uploader.subscribe(() => notified++);
    uploader.add([makeFile('a', 10)]);
    expect(uploader.getSnapshot().files).toHaveLength(1);
    await settle(1);
    expect(notified).toBe(1);
  });

  test('an unchanged file keeps its FileSnapshot object while another file progresses', async () => {
    const { uploader, protocol, clock } = setup({ checksum: false, concurrency: 1 });
    protocol.hold();
    uploader.add([makeFile('a', 1000), makeFile('b', 1000)]);
    await until(() => protocol.held.length === 1);
    clock.advance(100);
    const [a1, b1] = uploader.getSnapshot().files;
    protocol.held[0]!.progress(500);
    clock.advance(100);
    const [a2, b2] = uploader.getSnapshot().files;
    expect(a2).not.toBe(a1);
    expect(b2).toBe(b1);
    expect(uploader.getSnapshot().totals).toMatchObject({ files: 2, active: 1, bytesTotal: 2000, bytesSent: 500, bytesAcknowledged: 0 });
  });

  test('unsubscribe stops notifications; speed and ETA come from the injected clock', async () => {
    const { uploader, clock, file } = setup({ checksum: false, chunkSize: 1000, maxChunkSize: 1000 }, { latency: () => 500 });
    let notified = 0;
    const unsubscribe = uploader.subscribe(() => notified++);
    uploader.add([makeFile('a', 10_000)]);
    await until(() => file().status === 'uploading');
    let speedSeen = 0;
    let etaSeen: number | null = null;
    while (file().status !== 'completed') {
      clock.advance(250);
      await settle(5);
      if (file().speed > 0) [speedSeen, etaSeen] = [file().speed, file().eta];
    }
    // 1000 bytes every 500 ms of the fake clock.
    expect(speedSeen).toBeGreaterThan(1500);
    expect(speedSeen).toBeLessThan(2500);
    expect(etaSeen).not.toBeNull();
    expect(file().speed).toBe(0);
    unsubscribe();
    const count = notified;
    uploader.add([makeFile('b', 10)]);
    await settle();
    expect(notified).toBe(count);
  });

  test('no timers run once nothing is uploading, and idle pooled buffers are freed', async () => {
    const { uploader, clock, file } = setup({ checksum: 'sha-256', chunkSize: 1000, poolIdleTimeout: 5000 });
    uploader.add([makeFile('a', 3000)]);
    await until(() => file().status === 'completed');
    clock.advance(100);
    expect(uploader.getSnapshot().memory.idleBuffers).toBe(1);
    clock.advance(5000);
    expect(clock.pending()).toBe(0);
    const memory = uploader.getSnapshot().memory;
    expect(memory).toMatchObject({ idleBuffers: 0, leasedBuffers: 0, buffersCreated: 1, buffersReused: 2 });
    expect(memory.buffersFreed).toBe(1);
  });

  test('destroy() aborts requests, clears timers and stops notifying', async () => {
    const { uploader, protocol, clock } = setup({ checksum: false });
    protocol.hold();
    let notified = 0;
    uploader.subscribe(() => notified++);
    uploader.add([makeFile('a', 1000)]);
    await until(() => protocol.held.length === 1);
    const part = protocol.held[0]!;
    part.progress(10);
    await settle();
    const count = notified;
    uploader.destroy();
    expect(part.signal.aborted).toBe(true);
    expect(clock.pending()).toBe(0);
    await settle();
    clock.advance(60_000);
    expect(notified).toBe(count);
    expect(protocol.count('terminate')).toBe(0);
    expect(() => uploader.add([makeFile('b', 1)])).toThrow(/destroyed/);
  });
});
