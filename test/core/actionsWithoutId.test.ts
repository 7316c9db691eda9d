import { settle, setup, makeFile, until } from './harness.js';

describe('waiting for start()', () => {
  test("a queued file says whether it waits for start() (autoStart off) or only for a free slot", async () => {
    const { uploader, protocol } = setup({ autoStart: false, concurrency: 1, checksum: false });
    protocol.hold();
    uploader.add([makeFile('a', 100), makeFile('b', 100)]);
    await settle();
    const waiting = () => uploader.getSnapshot().files.map((f) => [f.status, f.waiting]);
    expect(waiting()).toEqual([
      ['queued', 'start'],
      ['queued', 'start'],
    ]);

    uploader.start();
    await until(() => protocol.held.length === 1);
    // b is wanted now and waits for a's slot, not for Start: the snapshot changed although its status did not.
    expect(waiting()).toEqual([
      ['uploading', null],
      ['queued', null],
    ]);
    protocol.hold(false);
    await protocol.held[0]!.resolve();
    await until(() => uploader.getSnapshot().totals.completed === 2);
  });

  test('with autoStart on, a file waiting for a slot never says start', async () => {
    const { uploader, protocol } = setup({ concurrency: 1, checksum: false });
    protocol.hold();
    uploader.add([makeFile('a', 100), makeFile('b', 100)]);
    await until(() => protocol.held.length === 1);
    expect(uploader.getSnapshot().files.map((f) => f.waiting)).toEqual([null, null]);
    protocol.hold(false);
    await protocol.held[0]!.resolve();
    await until(() => uploader.getSnapshot().totals.completed === 2);
  });
});

describe('remove() without an id', () => {
  test('removes every file remove(id) would: settled ones go, waiting ones are canceled and go, uploading ones stay', async () => {
    const { uploader, protocol } = setup({ concurrency: 1, checksum: false });
    uploader.add([makeFile('done', 100)]);
    await until(() => uploader.getSnapshot().totals.completed === 1);
    protocol.hold();
    uploader.add([makeFile('running', 100), makeFile('queued', 100), makeFile('paused', 100)]);
    await until(() => protocol.held.length === 1);
    const paused = uploader.getSnapshot().files.find((f) => f.name === 'paused')!;
    uploader.pause(paused.id);

    uploader.remove();
    await settle();

    expect(uploader.getSnapshot().files.map((f) => [f.name, f.status])).toEqual([['running', 'uploading']]);
    protocol.hold(false);
    await protocol.held[0]!.resolve();
    await until(() => uploader.getSnapshot().totals.completed === 1);
  });
});
