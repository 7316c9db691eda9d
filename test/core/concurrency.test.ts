import type { UploadSnapshot } from '../../src/core/types.js';
import { makeFile, settle, setup, until } from './harness.js';

const uploading = (snapshot: UploadSnapshot): number => snapshot.files.filter((f) => f.status === 'uploading').length;

describe('file concurrency', () => {
  test('never more than `concurrency` files upload at once, and the queue drains in order', async () => {
    const { uploader, protocol } = setup({ concurrency: 2, checksum: false });
    protocol.hold();
    let most = 0;
    uploader.subscribe(() => (most = Math.max(most, uploading(uploader.getSnapshot()))));
    uploader.add(['a', 'b', 'c', 'd', 'e'].map((name) => makeFile(name, 100)));
    const finished: string[] = [];
    while (finished.length < 5) {
      await until(() => protocol.held.length > 0);
      await settle();
      expect(protocol.held.length).toBeLessThanOrEqual(2);
      const next = protocol.held[0]!;
      finished.push(next.file);
      await next.resolve();
    }
    await until(() => uploader.getSnapshot().totals.completed === 5);
    expect(most).toBe(2);
    expect(protocol.maxPartsInFlight).toBe(2);
    expect(protocol.calls.filter((c) => c.kind === 'open').map((c) => c.file)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('configure({ concurrency }) takes effect for queued files', async () => {
    const { uploader, protocol } = setup({ concurrency: 1, checksum: false });
    protocol.hold();
    uploader.add(['a', 'b', 'c', 'd'].map((name) => makeFile(name, 100)));
    await until(() => protocol.held.length === 1);
    uploader.configure({ concurrency: 3 });
    await until(() => protocol.held.length === 3);
    await settle();
    expect(uploading(uploader.getSnapshot())).toBe(3);
  });

  test('a burst of cancels starts no doomed work (dequeue happens on a microtask)', async () => {
    const { uploader, protocol } = setup({ concurrency: 1, checksum: false });
    protocol.hold();
    const { accepted } = uploader.add(['a', 'b', 'c', 'd'].map((name) => makeFile(name, 100)));
    await until(() => protocol.held.length === 1);
    const cancels = accepted.slice(0, 3).map((id) => uploader.cancel(id));
    await Promise.all(cancels);
    await until(() => protocol.held.length === 1 && protocol.held[0]!.file === 'd');
    expect(protocol.calls.filter((c) => c.kind === 'open').map((c) => c.file)).toEqual(['a', 'd']);
    expect(uploader.getSnapshot().files.map((f) => f.status)).toEqual(['canceled', 'canceled', 'canceled', 'uploading']);
  });

  test('with autoStart: false nothing starts until start()', async () => {
    const { uploader, protocol } = setup({ autoStart: false, checksum: false });
    const { accepted } = uploader.add([makeFile('a', 10), makeFile('b', 10)]);
    await settle();
    expect(protocol.calls).toEqual([]);
    uploader.start(accepted[1]);
    await until(() => uploader.getSnapshot().files[1]?.status === 'completed');
    expect(uploader.getSnapshot().files[0]?.status).toBe('queued');
    uploader.start();
    await until(() => uploader.getSnapshot().totals.completed === 2);
  });
});
