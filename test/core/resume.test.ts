import type { ResumeRecord, UrlStorage } from '../../src/core/ports.js';
import { localUrlStorage, memoryUrlStorage, resolveUrlStorage, resumeKey } from '../../src/core/resumeStorage.js';
import { createUploader } from '../../src/core/createUploader.js';
import { createFakeClock } from '../support/fakeClock.js';
import { createFakeProtocol } from '../support/fakeProtocol.js';
import { UploadError } from '../../src/core/UploadError.js';
import { KiB, bytes, makeFile, settle, setup, sha, storedBytes, until } from './harness.js';

const DAY = 24 * 60 * 60 * 1000;

/** A Storage like the browser's, to stand in for localStorage in Node. */
class MapStorage implements Storage {
  private map = new Map<string, string>();
  get length(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
  setItem(key: string, value: string): void {
    this.map.set(key, String(value));
  }
}

describe('resume keys', () => {
  const file = makeFile('a.bin', 10, { type: 'text/plain', lastModified: 42 });

  test('ignore the query string and hash of the endpoint, and any credentials', () => {
    const key = resumeKey('https://u:secret@host.test/files?token=abc#x', file);
    expect(key).toBe(resumeKey('https://host.test/files?token=def', file));
    expect(key).toBe('lean-upload:https://host.test/files:a.bin:10:text/plain:42');
    expect(key).not.toContain('secret');
  });

  test('differ by fingerprint: name, size, type, lastModified', () => {
    const keys = new Set([
      resumeKey('/files', file),
      resumeKey('/files', makeFile('b.bin', 10, { type: 'text/plain', lastModified: 42 })),
      resumeKey('/files', makeFile('a.bin', 11, { type: 'text/plain', lastModified: 42 })),
      resumeKey('/files', makeFile('a.bin', 10, { type: 'image/png', lastModified: 42 })),
      resumeKey('/files', makeFile('a.bin', 10, { type: 'text/plain', lastModified: 43 })),
    ]);
    expect(keys.size).toBe(5);
  });
});

describe('resuming an upload started earlier', () => {
  /** Two uploaders over one server and one storage: a page reload. */
  function reload(storage: UrlStorage, endpoints: [string, string] = ['https://fake.test/files', 'https://fake.test/files']) {
    const clock = createFakeClock(1_000_000);
    const server = createFakeProtocol({ clock, endpoint: endpoints[0] });
    const before = createUploader({ protocol: server, clock, resume: storage, checksum: false, partSize: 10 * KiB, maxPartSize: 10 * KiB });
    const afterProtocol = { ...server, endpoint: endpoints[1], open: server.open.bind(server) };
    const after = () => createUploader({ protocol: afterProtocol, clock, resume: storage, checksum: false, partSize: 10 * KiB, maxPartSize: 10 * KiB });
    return { clock, server, before, after };
  }

  async function uploadOnePartThenLeave(storage: UrlStorage, endpoints?: [string, string]) {
    const ctx = reload(storage, endpoints);
    ctx.server.hold();
    ctx.before.add([makeFile('big.bin', 30 * KiB, { seed: 7 })]);
    await until(() => ctx.server.held.length === 1);
    await ctx.server.held[0]!.resolve();
    await until(() => ctx.server.held.length === 1);
    ctx.before.destroy();
    await settle();
    ctx.server.hold(false);
    return ctx;
  }

  test('a resumed upload sends only the missing bytes and says resumed: true', async () => {
    const storage = memoryUrlStorage();
    const { server, after } = await uploadOnePartThenLeave(storage);
    const sentBefore = server.parts().length;
    const uploader = after();
    uploader.add([makeFile('big.bin', 30 * KiB, { seed: 7 })]);
    await until(() => uploader.getSnapshot().files[0]?.status === 'completed');
    expect(sentBefore).toBe(2);
    // Only the two missing parts travel again; the first 10 KiB stay on the server.
    expect(server.parts().slice(sentBefore).map((p) => p.start)).toEqual([10 * KiB, 20 * KiB]);
    expect(server.calls.filter((c) => c.kind === 'open').at(-1)?.resume?.url).toBe('https://fake.test/files/1');
    expect(uploader.getSnapshot().files[0]).toMatchObject({ resumed: true, url: 'https://fake.test/files/1' });
    expect(server.uploads.size).toBe(1);
    expect(sha(storedBytes(server))).toBe(sha(bytes(30 * KiB, 7)));
    expect(await storage.get(resumeKey('https://fake.test/files', makeFile('big.bin', 30 * KiB)))).toBeUndefined();
    uploader.destroy();
  });

  test('the record is found when only the query string of the endpoint changed', async () => {
    const storage = memoryUrlStorage();
    const { server, after } = await uploadOnePartThenLeave(storage, ['https://fake.test/files?sig=1', 'https://fake.test/files?sig=2']);
    const uploader = after();
    uploader.add([makeFile('big.bin', 30 * KiB, { seed: 7 })]);
    await until(() => uploader.getSnapshot().files[0]?.status === 'completed');
    expect(uploader.getSnapshot().files[0]?.resumed).toBe(true);
    expect(server.uploads.size).toBe(1);
    uploader.destroy();
  });

  test('without a record a new upload starts and resumed stays false', async () => {
    const { uploader, protocol, file } = setup({ checksum: false });
    uploader.add([makeFile('a', 100)]);
    await until(() => file().status === 'completed');
    expect(protocol.calls[0]?.resume).toBeUndefined();
    expect(file().resumed).toBe(false);
  });
});

describe('resume records', () => {
  test('hold URLs without credentials, expire after resumeTtl by default, and go after success', async () => {
    const saved: ResumeRecord[] = [];
    const inner = memoryUrlStorage();
    const storage: UrlStorage = { ...inner, set: (key, record) => (saved.push(record), inner.set(key, record)) };
    const { uploader, protocol, clock, file } = setup(
      { resume: storage, checksum: false, resumeTtl: DAY },
      { urlBase: 'https://user:pass@fake.test/files/' },
    );
    protocol.hold();
    const source = makeFile('a', 100);
    uploader.add([source]);
    await until(() => protocol.held.length === 1);
    expect(saved).toEqual([{ url: 'https://fake.test/files/1', createdAt: clock.now(), expiresAt: clock.now() + DAY }]);
    expect(file().url).toBe('https://fake.test/files/1');
    await protocol.held[0]!.resolve();
    await until(() => file().status === 'completed');
    expect(await storage.get(resumeKey(protocol.endpoint, source))).toBeUndefined();
  });

  test("use the server's expiry when it sends one", async () => {
    const storage = memoryUrlStorage();
    const { uploader, protocol } = setup({ resume: storage, checksum: false }, { expiresAt: 5_000_000 });
    protocol.hold();
    const source = makeFile('a', 100);
    uploader.add([source]);
    await until(() => protocol.held.length === 1);
    expect((await storage.get(resumeKey(protocol.endpoint, source)))?.expiresAt).toBe(5_000_000);
  });

  test('an expired record is ignored and removed', async () => {
    const storage = memoryUrlStorage();
    const { uploader, protocol, clock, file } = setup({ resume: storage, checksum: false });
    const source = makeFile('a', 100);
    const key = resumeKey(protocol.endpoint, source);
    await storage.set(key, { url: 'https://fake.test/files/old', createdAt: 0, expiresAt: clock.now() - 1 });
    protocol.hold();
    uploader.add([source]);
    await until(() => protocol.held.length === 1);
    expect(protocol.calls[0]?.resume).toBeUndefined();
    expect((await storage.get(key))?.url).toBe('https://fake.test/files/1');
    expect(file().resumed).toBe(false);
  });

  test('when the server lost the upload, the new upload URL replaces the stored one', async () => {
    const storage = memoryUrlStorage();
    const { uploader, protocol, clock, file } = setup({ resume: storage, checksum: false, partSize: 10, maxPartSize: 10, retry: { delays: [0] } });
    const source = makeFile('a', 30, { seed: 12 });
    const key = resumeKey(protocol.endpoint, source);
    protocol.hold();
    uploader.add([source]);
    await until(() => protocol.held.length === 1);
    await protocol.held[0]!.resolve();
    await until(() => protocol.held.length === 1);
    protocol.uploads.get('https://fake.test/files/1')!.terminated = true;
    protocol.held[0]!.reject(new UploadError('network', 'reset'));
    await until(() => file().attempt === 1);
    clock.advance(0);
    await until(() => protocol.held.length === 1);
    expect(protocol.held[0]!.start).toBe(0);
    await protocol.held[0]!.resolve();
    await until(() => protocol.held.length === 1);
    expect((await storage.get(key))?.url).toBe('https://fake.test/files/2');
    expect(file().url).toBe('https://fake.test/files/2');
    protocol.hold(false);
    await protocol.held[0]!.resolve();
    await until(() => file().status === 'completed');
    expect(sha(protocol.uploads.get('https://fake.test/files/2')!.bytes)).toBe(sha(bytes(30, 12)));
  });

  test('the same file added twice makes two server uploads, and the one still running keeps its record', async () => {
    const storage = memoryUrlStorage();
    const { uploader, protocol } = setup({ resume: storage, checksum: false, partSize: 10, maxPartSize: 10 });
    protocol.hold();
    const source = makeFile('twice.bin', 30, { seed: 14 });
    uploader.add([source]);
    await until(() => protocol.held.length === 1);
    await protocol.held[0]!.resolve();
    await until(() => protocol.held.length === 1);
    uploader.add([source]);
    await until(() => protocol.held.length === 2);
    expect(protocol.calls.filter((c) => c.kind === 'open').map((c) => c.resume)).toEqual([undefined, undefined]);
    // The first copy finishes (its parts are at 10 and 20; the second copy waits at 0).
    await protocol.held.find((p) => p.start === 10)!.resolve();
    await until(() => protocol.held.some((p) => p.start === 20));
    await protocol.held.find((p) => p.start === 20)!.resolve();
    await until(() => uploader.getSnapshot().files[0]?.status === 'completed');
    expect((await storage.get(resumeKey(protocol.endpoint, source)))?.url).toBe('https://fake.test/files/2');
    protocol.hold(false);
    while (protocol.held.length > 0) await protocol.held[0]!.resolve();
    await until(() => uploader.getSnapshot().totals.completed === 2);
    expect(protocol.uploads.size).toBe(2);
    expect(protocol.count('sync')).toBe(0);
    for (const upload of protocol.uploads.values()) expect(sha(upload.bytes)).toBe(sha(bytes(30, 14)));
  });

  /** Storage that logs each call, as `get`, `set` or `remove`. */
  function loggedStorage() {
    const inner = memoryUrlStorage();
    const log: string[] = [];
    const storage: UrlStorage = {
      get: (key) => (log.push('get'), inner.get(key)),
      set: (key, record) => (log.push('set'), inner.set(key, record)),
      remove: (key) => (log.push('remove'), inner.remove(key)),
    };
    return { storage, inner, log };
  }

  test('a file that went whole in its creating request writes no record: one lookup, no write, no removal', async () => {
    const { storage, log } = loggedStorage();
    const { uploader, file } = setup({ resume: storage, checksum: false }, { deferCreation: true });
    uploader.add([makeFile('small', 100)]);
    await until(() => file().status === 'completed');
    await settle();
    expect(file().url).toBe('https://fake.test/files/1');
    expect(log).toEqual(['get']);
  });

  test('a file created by its first part of several keeps a record until its last part arrives', async () => {
    const { storage, inner, log } = loggedStorage();
    const { uploader, protocol, file } = setup({ resume: storage, checksum: false, partSize: 10, maxPartSize: 10 }, { deferCreation: true });
    const source = makeFile('three-parts', 30, { seed: 3 });
    const key = resumeKey(protocol.endpoint, source);
    protocol.hold();
    uploader.add([source]);
    await until(() => protocol.held.length === 1);
    expect(await inner.get(key)).toBeUndefined();
    await protocol.held[0]!.resolve();
    await until(() => protocol.held.length === 1);
    expect((await inner.get(key))?.url).toBe('https://fake.test/files/1');
    await protocol.held[0]!.resolve();
    await until(() => protocol.held.length === 1);
    protocol.hold(false);
    await protocol.held[0]!.resolve();
    await until(() => file().status === 'completed');
    await settle();
    expect(await inner.get(key)).toBeUndefined();
    expect(log).toEqual(['get', 'set', 'get', 'remove']);
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(30, 3)));
  });

  test('resume: false stores nothing', async () => {
    const storage = memoryUrlStorage();
    const spy = vi.spyOn(storage, 'set');
    const { uploader, file } = setup({ resume: false, checksum: false });
    uploader.add([makeFile('a', 100)]);
    await until(() => file().status === 'completed');
    expect(spy).not.toHaveBeenCalled();
    expect(resolveUrlStorage(false)).toBeNull();
  });
});

describe('localStorage', () => {
  afterEach(() => vi.unstubAllGlobals());

  test('resume: true uses localStorage when the environment has it', async () => {
    const local = new MapStorage();
    vi.stubGlobal('localStorage', local);
    const { uploader, protocol } = setup({ resume: true, checksum: false });
    protocol.hold();
    const source = makeFile('a', 100);
    uploader.add([source]);
    await until(() => protocol.held.length === 1);
    const stored = local.getItem(resumeKey(protocol.endpoint, source));
    expect(JSON.parse(stored ?? 'null')).toMatchObject({ url: 'https://fake.test/files/1' });
  });

  test('falls back to memory where localStorage is missing or throws, and ignores garbage', () => {
    expect(typeof globalThis.localStorage).toBe('undefined');
    expect(localUrlStorage()).toBeUndefined();
    expect(resolveUrlStorage(true)).not.toBeNull();
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    expect(localUrlStorage()).toBeUndefined();
    const local = new MapStorage();
    local.setItem('k', '{"url": 5}');
    local.setItem('j', 'not json');
    vi.stubGlobal('localStorage', local);
    const storage = localUrlStorage();
    expect(storage?.get('k')).toBeUndefined();
    expect(storage?.get('j')).toBeUndefined();
  });
});
