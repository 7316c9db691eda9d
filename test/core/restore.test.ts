import type { HandleStore } from '../../src/core/handleStore.js';
import { parseKey } from '../../src/core/RestoredUpload.js';
import { memoryUrlStorage, resumeKey } from '../../src/core/resumeStorage.js';
import type { UrlStorage } from '../../src/core/ports.js';
import { KiB, bytes, makeFile, settle, setup, sha, storedBytes, until } from './harness.js';

/** An uploader that sent the first 10 KiB of a 30 KiB file into `storage`, then was destroyed (a reload). */
async function interrupted(storage: UrlStorage, extra: Parameters<typeof setup>[0] = {}) {
  const first = setup({ partSize: 10 * KiB, maxPartSize: 10 * KiB, checksum: false, resume: storage, ...extra });
  first.protocol.hold();
  const file = makeFile('photo:1.jpg', 30 * KiB, { seed: 7, type: 'image/jpeg' });
  return { first, file };
}

async function sendFirstPart(h: ReturnType<typeof setup>) {
  await until(() => h.protocol.held.length === 1, 'first part');
  await h.protocol.held[0]!.resolve();
  await until(() => h.protocol.held.length === 1, 'second part');
  h.uploader.destroy();
  await settle();
}

function memoryHandles(): HandleStore & { map: Map<string, unknown> } {
  const map = new Map<string, never>();
  return {
    map,
    get: async (key) => map.get(key),
    set: async (key, handle) => void map.set(key, handle as never),
    remove: async (key) => void map.delete(key),
  };
}

describe('the list after a reload', () => {
  test('a new uploader lists the unfinished upload with the bytes the server holds; choosing the file again resumes it', async () => {
    const storage = memoryUrlStorage();
    const { first, file } = await interrupted(storage);
    first.uploader.add([file]);
    await sendFirstPart(first);

    // The same server (the fake protocol holds the server's state), a new page's uploader.
    const protocol = first.protocol;
    const next = setup({ protocol, partSize: 10 * KiB, maxPartSize: 10 * KiB, checksum: false, resume: storage });
    const opensBefore = protocol.count('open');
    // Two calls at once (a hook and a widget on one uploader) share one restore.
    await Promise.all([next.uploader.restore(), next.uploader.restore()]);
    // Asked of the server (an open with the record: tus HEAD), not taken from the record.
    expect(protocol.count('open')).toBe(opensBefore + 1);
    const [entry] = next.uploader.getSnapshot().files;
    expect(entry).toMatchObject({
      name: 'photo:1.jpg',
      size: 30 * KiB,
      type: 'image/jpeg',
      status: 'paused',
      restored: 'choose-file',
      file: null,
      bytesAcknowledged: 10 * KiB,
      url: [...protocol.uploads.values()][0]!.url,
    });
    // Restoring again lists it once, without asking the server again.
    await next.uploader.restore();
    expect(next.uploader.getSnapshot().files).toHaveLength(1);
    expect(protocol.count('open')).toBe(opensBefore + 1);

    protocol.hold(false);
    const { files } = next.uploader.add([makeFile('photo:1.jpg', 30 * KiB, { seed: 7, type: 'image/jpeg' })]);
    expect(files[0]!.id).toBe(entry!.id);
    await files[0]!.done;
    expect(protocol.uploads.size).toBe(1);
    expect(protocol.parts().at(-1)).toMatchObject({ start: 20 * KiB, end: 30 * KiB });
    expect(next.uploader.getSnapshot().files).toHaveLength(1);
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(30 * KiB, 7)));
    // The record goes right after the file completes.
    await settle();
    expect(storage.get(resumeKey(protocol.endpoint, file))).toBeUndefined();
  });

  test('discarding a restored entry ends the upload on the server and forgets the record', async () => {
    const storage = memoryUrlStorage();
    const { first, file } = await interrupted(storage);
    first.uploader.add([file]);
    await sendFirstPart(first);
    const next = setup({ protocol: first.protocol, resume: storage, checksum: false });
    await next.uploader.restore();
    const id = next.uploader.getSnapshot().files[0]!.id;
    next.uploader.remove(id);
    expect(next.uploader.getSnapshot().files).toHaveLength(0);
    await until(() => first.protocol.count('terminate') === 1, 'terminate');
    await settle();
    expect([...first.protocol.uploads.values()][0]!.terminated).toBe(true);
    expect(storage.get(resumeKey(first.protocol.endpoint, file))).toBeUndefined();
  });

  test('a record the server no longer knows, or an expired one, is forgotten and not listed; another endpoint is left alone', async () => {
    const storage = memoryUrlStorage();
    const { first, file } = await interrupted(storage);
    first.uploader.add([file]);
    await sendFirstPart(first);
    [...first.protocol.uploads.values()][0]!.terminated = true;
    const key = resumeKey(first.protocol.endpoint, file);
    const other = resumeKey('https://elsewhere.test/files', file);
    storage.set(other, { url: 'https://elsewhere.test/files/9', createdAt: 0, expiresAt: Number.MAX_SAFE_INTEGER });
    const expired = resumeKey(first.protocol.endpoint, makeFile('old.bin', 5));
    storage.set(expired, { url: 'https://fake.test/files/77', createdAt: 0, expiresAt: 1 });
    const next = setup({ protocol: first.protocol, resume: storage });
    await next.uploader.restore();
    expect(next.uploader.getSnapshot().files).toEqual([]);
    expect(storage.get(key)).toBeUndefined();
    expect(storage.get(expired)).toBeUndefined();
    expect(storage.get(other)).toBeDefined();
  });

  test('with a kept file handle, resume(id) asks for permission and continues; no file bytes are stored', async () => {
    const storage = memoryUrlStorage();
    const handles = memoryHandles();
    const { first, file } = await interrupted(storage, { fileHandles: handles });
    const permission = { query: vi.fn(async () => 'prompt' as PermissionState), request: vi.fn(async () => 'granted' as PermissionState) };
    const handle = { kind: 'file', getFile: async () => file, queryPermission: permission.query, requestPermission: permission.request };
    await first.uploader.addHandles([handle]);
    const key = resumeKey(first.protocol.endpoint, file);
    expect(handles.map.get(key)).toBe(handle);
    await sendFirstPart(first);

    const next = setup({ protocol: first.protocol, resume: storage, fileHandles: handles, checksum: false });
    await next.uploader.restore();
    const entry = next.uploader.getSnapshot().files[0]!;
    expect(entry).toMatchObject({ restored: 'reopen', bytesAcknowledged: 10 * KiB });
    first.protocol.hold(false);
    next.uploader.resume(entry.id);
    await until(() => next.uploader.getSnapshot().files[0]?.status === 'completed', 'completed');
    expect(permission.request).toHaveBeenCalledWith({ mode: 'read' });
    expect(next.uploader.getSnapshot().files[0]!.id).toBe(entry.id);
    expect(sha(storedBytes(first.protocol))).toBe(sha(bytes(30 * KiB, 7)));
    // Only URLs and handles were kept: the record holds no bytes, and the finished upload's handle is gone.
    await settle();
    expect(handles.map.has(key)).toBe(false);
    expect(first.protocol.uploads.size).toBe(1);
  });

  test('a restored entry with a handle chosen again by hand also drops its handle once done', async () => {
    const storage = memoryUrlStorage();
    const handles = memoryHandles();
    const { first, file } = await interrupted(storage, { fileHandles: handles });
    await first.uploader.addHandles([{ getFile: async () => file }]);
    await sendFirstPart(first);
    const next = setup({ protocol: first.protocol, resume: storage, fileHandles: handles, checksum: false });
    await next.uploader.restore();
    first.protocol.hold(false);
    await next.uploader.add([makeFile('photo:1.jpg', 30 * KiB, { seed: 7, type: 'image/jpeg' })]).files[0]!.done;
    await settle();
    expect(handles.map.size).toBe(0);
  });

  test('a refused permission leaves the entry listed; a changed file does not continue the upload', async () => {
    const storage = memoryUrlStorage();
    const handles = memoryHandles();
    const { first, file } = await interrupted(storage, { fileHandles: handles });
    let answer: PermissionState = 'denied';
    let current = file;
    const handle = { getFile: async () => current, queryPermission: async () => 'prompt' as PermissionState, requestPermission: async () => answer };
    await first.uploader.addHandles([handle]);
    await sendFirstPart(first);
    const next = setup({ protocol: first.protocol, resume: storage, fileHandles: handles, checksum: false });
    await next.uploader.restore();
    const id = next.uploader.getSnapshot().files[0]!.id;
    next.uploader.resume(id);
    await settle();
    expect(next.uploader.getSnapshot().files).toMatchObject([{ id, restored: 'reopen' }]);
    answer = 'granted';
    current = makeFile('photo:1.jpg', 30 * KiB, { seed: 7, type: 'image/jpeg', lastModified: 1_800_000_000_000 });
    next.uploader.resume(id);
    await settle();
    expect(next.uploader.getSnapshot().files).toMatchObject([{ id, restored: 'reopen' }]);
  });

  test('resume keys parse back into the file facts, names with colons included', () => {
    const file = makeFile('a:b:c.txt', 12, { type: 'text/plain', lastModified: 5 });
    expect(parseKey('https://x.test/files?token=1', resumeKey('https://x.test/files?token=2', file))).toEqual({
      name: 'a:b:c.txt',
      size: 12,
      type: 'text/plain',
      lastModified: 5,
    });
    expect(parseKey('https://y.test/files', resumeKey('https://x.test/files', file))).toBeUndefined();
  });
});
