import { createUploader } from '../../src/core/createUploader.js';
import type { ResumeRecord, UrlStorage } from '../../src/core/ports.js';
import { resumeKey } from '../../src/core/resumeStorage.js';
import { UploadError } from '../../src/core/UploadError.js';
import { createFakeLocks } from '../support/fakeLocks.js';
import { createFakeOnline } from '../support/fakeOnline.js';
import { KiB, bytes, makeFile, settle, setup, storedBytes, track, until } from './harness.js';

const network = (): UploadError => new UploadError('network', 'connection reset');

describe('offline', () => {
  test('a failure while offline waits for the network without spending a retry, and goes on at once when online', async () => {
    const online = createFakeOnline(true);
    // No retry at all: a failure counted against the budget would fail the file.
    const { uploader, protocol, file } = setup({ online, partSize: 10 * KiB, checksum: false, retry: { maxRetries: 0 } });
    protocol.hold();
    uploader.add([makeFile('a.bin', 30 * KiB)]);
    await until(() => protocol.held.length === 1);
    await protocol.held.shift()?.resolve();
    await until(() => protocol.held.length === 1);
    online.set(false);
    protocol.held.shift()?.reject(network());
    await until(() => file().waiting === 'offline', 'offline shown');
    expect(file()).toMatchObject({ status: 'uploading', attempt: 0, error: null, bytesAcknowledged: 10 * KiB });
    const parts = protocol.count('sendPart');
    await settle();
    expect(protocol.count('sendPart')).toBe(parts);

    protocol.hold(false);
    // No clock time passes: back online, the next part goes at once, with no back-off.
    online.set(true);
    await until(() => file().status === 'completed', 'completed');
    expect(file()).toMatchObject({ waiting: null, attempt: 0 });
    expect(storedBytes(protocol)).toEqual(bytes(30 * KiB));
    expect(online.listeners()).toBe(0);
  });

  test('a request that hangs when the network drops is stopped at the offline event, then the part goes again online', async () => {
    const online = createFakeOnline(true);
    const { uploader, protocol, file } = setup({ online, checksum: false, retry: { maxRetries: 0 } });
    protocol.hold();
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => protocol.held.length === 1);
    const hanging = protocol.held.shift();
    online.set(false);
    await until(() => file().waiting === 'offline');
    expect(hanging?.signal.aborted).toBe(true);
    expect(file()).toMatchObject({ status: 'uploading', attempt: 0 });
    protocol.hold(false);
    online.set(true);
    await until(() => file().status === 'completed');
    expect(storedBytes(protocol)).toEqual(bytes(1000));
    expect(online.listeners()).toBe(0);
  });

  test('a server that is down while the browser is online still counts failures, with back-off, and fails in the end', async () => {
    const online = createFakeOnline(true);
    const { uploader, protocol, clock, file } = setup({ online, checksum: false, retry: { delays: [100, 200] } });
    for (let i = 0; i < 3; i++) protocol.failNext('sendPart', network());
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => file().attempt === 1);
    expect(file().waiting).toBeNull();
    clock.advance(99);
    await settle();
    expect(protocol.count('sendPart')).toBe(1);
    clock.advance(1);
    await until(() => file().attempt === 2);
    clock.advance(200);
    await until(() => file().status === 'failed');
    expect(file().error?.code).toBe('network');
  });

  test('pausing while waiting for the network stops the wait and leaves no listener behind', async () => {
    const online = createFakeOnline(false);
    const { uploader, protocol, file } = setup({ online, checksum: false });
    protocol.failNext('open', network());
    uploader.add([makeFile('a.bin', 1000)]);
    await until(() => file().waiting === 'offline');
    uploader.pause();
    await settle();
    expect(file()).toMatchObject({ status: 'paused', waiting: null });
    expect(online.listeners()).toBe(0);
    uploader.resume();
    online.set(true);
    await until(() => file().status === 'completed');
  });
});

/** A storage two uploaders share, as two tabs share localStorage. */
function sharedStorage(): UrlStorage & { records: Map<string, ResumeRecord> } {
  const records = new Map<string, ResumeRecord>();
  return {
    records,
    get: (key) => records.get(key),
    set: (key, record) => void records.set(key, record),
    remove: (key) => void records.delete(key),
  };
}

describe('other tabs', () => {
  test('a second uploader resuming the same file waits for the first one’s lock, then takes over from its offset', async () => {
    const locks = createFakeLocks();
    const storage = sharedStorage();
    const first = setup({ locks, resume: storage, partSize: 10 * KiB, checksum: false });
    const { protocol, clock } = first;
    const source = makeFile('shared.bin', 30 * KiB);
    const key = resumeKey(protocol.endpoint, source);
    protocol.hold();
    first.uploader.add([source]);
    await until(() => protocol.held.length === 1);
    await protocol.held.shift()?.resolve();
    await until(() => protocol.held.length === 1 && storage.records.has(key));
    expect(locks.held(key)).toBe(true);

    const second = track(createUploader({ protocol, clock, locks, resume: storage, partSize: 10 * KiB, checksum: false }));
    second.add([source]);
    await until(() => second.getSnapshot().files[0]?.waiting === 'other-tab', 'other-tab shown');
    expect(second.getSnapshot().files[0]?.status).toBe('uploading');
    expect(protocol.count('open')).toBe(1);

    // The first tab closes: its requests stop and its lock goes.
    first.uploader.destroy();
    // The second takes the lock and sends: no longer waiting for another tab.
    await until(() => protocol.count('open') === 2 && protocol.held.length > 0, 'the second tab sending');
    expect(second.getSnapshot().files[0]).toMatchObject({ status: 'uploading', waiting: null });
    protocol.hold(false);
    for (const part of protocol.held.splice(0)) await part.resolve();
    await until(() => second.getSnapshot().files[0]?.status === 'completed', 'second completes');
    expect(second.getSnapshot().files[0]).toMatchObject({ resumed: true, waiting: null });
    expect(protocol.uploads.size).toBe(1);
    expect(storedBytes(protocol)).toEqual(bytes(30 * KiB));
    expect(locks.held(key)).toBe(false);
  });

  test('page-local storage takes no lock: two uploaders with their own records both send', async () => {
    const locks = createFakeLocks();
    const { uploader, protocol, clock } = setup({ locks, checksum: false });
    const other = track(createUploader({ protocol, clock, locks, checksum: false, resume: false }));
    protocol.hold();
    uploader.add([makeFile('a.bin', 1000)]);
    other.add([makeFile('a.bin', 1000)]);
    await until(() => protocol.held.length === 2);
    expect(uploader.getSnapshot().files[0]?.waiting).toBeNull();
    protocol.hold(false);
    for (const part of protocol.held.splice(0)) await part.resolve();
    await until(() => uploader.getSnapshot().files[0]?.status === 'completed' && other.getSnapshot().files[0]?.status === 'completed');
  });

  test('pausing while waiting for the other tab gives up the wait', async () => {
    const locks = createFakeLocks();
    const storage = sharedStorage();
    const { uploader, protocol, clock } = setup({ locks, resume: storage, checksum: false });
    const source = makeFile('a.bin', 1000);
    protocol.hold();
    uploader.add([source]);
    await until(() => protocol.held.length === 1);
    const second = track(createUploader({ protocol, clock, locks, resume: storage, checksum: false }));
    second.add([source]);
    const key = resumeKey(protocol.endpoint, source);
    await until(() => locks.waiting(key) === 1);
    second.pause();
    await until(() => locks.waiting(key) === 0);
    expect(second.getSnapshot().files[0]).toMatchObject({ status: 'paused', waiting: null });
    protocol.hold(false);
    await protocol.held.shift()?.resolve();
    await until(() => uploader.getSnapshot().files[0]?.status === 'completed');
  });
});
