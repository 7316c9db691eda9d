import { UploadError } from '../../src/core/UploadError.js';
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

  test('progress is coalesced to one notification per progressInterval, yet getSnapshot() shows it at once', async () => {
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
    for (const loaded of [100, 200, 300, 400]) part.progress(loaded);
    await settle();
    expect(notified).toBe(0);
    const read = uploader.getSnapshot();
    expect(read.files[0]?.bytesSent).toBe(400);
    // Replaced only on change: a second read between notifications is the same object.
    expect(uploader.getSnapshot()).toBe(read);
    clock.advance(99);
    expect(notified).toBe(0);
    clock.advance(1);
    expect(notified).toBe(1);
    expect(file().bytesAcknowledged).toBe(0);
    clock.advance(1000);
    expect(notified).toBe(1);
    await part.resolve();
    await settle();
    expect(file().status).toBe('completed');
    expect(notified).toBe(2);
  });

  /** Three files running, one queued, and a notification just sent: the start of a busy window. */
  async function busyWindow() {
    const harness = setup({ checksum: false, concurrency: 3, progressInterval: 100, retry: { delays: [] } });
    const { uploader, protocol, clock } = harness;
    protocol.hold();
    uploader.add(['a', 'b', 'c', 'd'].map((name) => makeFile(name, 100)));
    await until(() => protocol.held.length === 3);
    clock.advance(1000);
    let notified = 0;
    uploader.subscribe(() => notified++);
    const part = (name: string) => {
      const found = protocol.held.find((held) => held.file === name);
      if (!found) throw new Error(`no part held for ${name}`);
      return found;
    };
    // One status change after a quiet spell goes out at once and opens a window.
    uploader.pause(uploader.getSnapshot().files[3]!.id);
    await settle();
    expect(notified).toBe(1);
    return { ...harness, part, notified: () => notified };
  }

  test('status changes within one progressInterval are coalesced into one notification', async () => {
    const { uploader, clock, part, notified } = await busyWindow();
    await part('a').resolve();
    await settle();
    await part('b').resolve();
    await settle();
    // Two files completed: no notification yet, but a read is current.
    expect(notified()).toBe(1);
    expect(uploader.getSnapshot().totals).toMatchObject({ completed: 2, active: 1 });
    clock.advance(99);
    expect(notified()).toBe(1);
    clock.advance(1);
    expect(notified()).toBe(2);
    clock.advance(1000);
    expect(notified()).toBe(2);
  });

  test('the final state is notified at once: when nothing is left running, and when a file fails', async () => {
    const { uploader, clock, part, notified } = await busyWindow();
    await part('a').resolve();
    await settle();
    expect(notified()).toBe(1);
    part('b').reject(new UploadError('protocol', 'fake: broken'));
    await settle();
    // A failure goes out without waiting for the window (no clock time passed).
    expect(notified()).toBe(2);
    expect(uploader.getSnapshot().totals).toMatchObject({ completed: 1, failed: 1, active: 1 });
    await part('c').resolve();
    await settle();
    expect(notified()).toBe(3);
    expect(uploader.getSnapshot().totals).toMatchObject({ completed: 2, failed: 1, active: 0 });
    clock.advance(1000);
    expect(notified()).toBe(3);
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
    const { uploader, clock, file } = setup({ checksum: false, partSize: 1000, maxPartSize: 1000 }, { latency: () => 500 });
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
    const { uploader, clock, file } = setup({ checksum: 'sha-256', partSize: 1000, poolIdleTimeout: 5000 });
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
