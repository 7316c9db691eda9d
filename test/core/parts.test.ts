import { UploadError } from '../../src/core/UploadError.js';
import { KiB, bytes, makeFile, settle, setup, sha, storedBytes, until } from './harness.js';

const sha256 = { checksum: 'sha-256' as const };
const MiB = 1024 * KiB;

describe('checksum', () => {
  test("'auto' hashes nothing when the session does not verify: no bytes read, no buffer", async () => {
    const { uploader, protocol, file } = setup({ checksum: 'auto', partSize: 10 * KiB, maxPartSize: 10 * KiB });
    uploader.add([makeFile('a', 25 * KiB)]);
    await until(() => file().status === 'completed');
    expect(protocol.parts().map((p) => p.sha256)).toEqual([undefined, undefined, undefined]);
    expect(protocol.parts().every((p) => p.bodyKind === 'blob')).toBe(true);
    expect(uploader.getSnapshot().memory.buffersCreated).toBe(0);
  });

  test("'auto' hashes every part when the session verifies SHA-256, sending the lazy slice as body", async () => {
    const { uploader, protocol, file, clock } = setup({ checksum: 'auto', partSize: 10 * KiB }, { capabilities: sha256 });
    uploader.add([makeFile('a', 25 * KiB, { seed: 2 })]);
    await until(() => file().status === 'completed');
    const source = bytes(25 * KiB, 2);
    expect(protocol.parts().map((p) => p.sha256)).toEqual([
      sha(source.subarray(0, 10 * KiB)),
      sha(source.subarray(10 * KiB, 20 * KiB)),
      sha(source.subarray(20 * KiB)),
    ]);
    expect(protocol.parts().every((p) => p.bodyKind === 'blob')).toBe(true);
    clock.advance(100);
    const memory = uploader.getSnapshot().memory;
    expect(memory).toMatchObject({ buffersCreated: 1, buffersReused: 2, leasedBuffers: 0, bufferSize: 10 * KiB });
    expect(sha(storedBytes(protocol))).toBe(sha(source));
  });

  test("'sha-256' always hashes; false never does", async () => {
    const always = setup({ checksum: 'sha-256', partSize: 10 * KiB });
    always.uploader.add([makeFile('a', 15 * KiB)]);
    await until(() => always.file().status === 'completed');
    expect(always.protocol.parts().every((p) => typeof p.sha256 === 'string')).toBe(true);

    const never = setup({ checksum: false, partSize: 10 * KiB }, { capabilities: sha256 });
    never.uploader.add([makeFile('a', 15 * KiB)]);
    await until(() => never.file().status === 'completed');
    expect(never.protocol.parts().some((p) => p.sha256 !== undefined)).toBe(false);
  });

  test('hashed parts are as large as the pooled buffer: partSize clamped to the memory budget', async () => {
    const { uploader, protocol, file, clock } = setup({ ...sha256, partSize: 64 * KiB, memoryBudget: 16 * KiB });
    uploader.add([makeFile('a', 40 * KiB)]);
    await until(() => file().status === 'completed');
    expect(protocol.parts().map((p) => p.end! - p.start!)).toEqual([16 * KiB, 16 * KiB, 8 * KiB]);
    clock.advance(100);
    expect(uploader.getSnapshot().memory.peakInFlightBytes).toBeLessThanOrEqual(16 * KiB);
  });

  test('small hashed files lease buffers sized to them, not whole pooled buffers', async () => {
    const { uploader, protocol, clock } = setup({ ...sha256, concurrency: 6 });
    const files = Array.from({ length: 6 }, (_, i) => makeFile(`f${i}`, 100 * KiB, { seed: i }));
    uploader.add(files);
    await until(() => uploader.getSnapshot().totals.completed === 6);
    expect(protocol.parts().every((p) => typeof p.sha256 === 'string')).toBe(true);
    clock.advance(100);
    const memory = uploader.getSnapshot().memory;
    // Each 100 KiB file leases a 128 KiB buffer; a whole one (partSize, 8 MiB) would be 64 times that.
    expect(memory.bufferSize).toBe(8 * 1024 * KiB);
    expect(memory.peakInFlightBytes).toBeGreaterThan(0);
    expect(memory.peakInFlightBytes).toBeLessThanOrEqual(6 * 128 * KiB);
    expect(memory.pooledBytes).toBeLessThanOrEqual(6 * 128 * KiB);
  });

  test('a CRC\'d part of any size is read through one 1 MiB lease, and parts grow as unhashed ones do', async () => {
    const crc = { checksum: 'crc32' as const };
    const { uploader, protocol, file, clock } = setup({ checksum: 'auto', partSize: MiB }, { capabilities: crc });
    uploader.add([makeFile('a', 12 * MiB + 5, { seed: 3 })]);
    await until(() => file().status === 'completed');
    const sizes = protocol.parts().map((p) => p.end! - p.start!);
    // Each part is read while the one before is sent, at the size known then: growth shows one part late.
    expect(sizes).toEqual([MiB, MiB, 4 * MiB, 4 * MiB, 2 * MiB + 5]);
    clock.advance(100);
    expect(uploader.getSnapshot().memory).toMatchObject({ peakInFlightBytes: MiB, buffersCreated: 1 });
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(12 * MiB + 5, 3)));
  });

  test('the next part is hashed while the current one is being sent', async () => {
    const { uploader, protocol, clock } = setup({ ...sha256, partSize: 10 * KiB });
    protocol.hold();
    uploader.add([makeFile('a', 30 * KiB)]);
    await until(() => protocol.held.length === 1);
    // Part 1 is on the wire; part 2 is read and hashed meanwhile, its buffer back in the pool.
    await until(() => {
      clock.advance(1);
      return uploader.getSnapshot().memory.buffersReleased === 2;
    }, 'the second part hashed');
    expect(protocol.parts()).toHaveLength(1);
    expect(uploader.getSnapshot().memory.leasedBuffers).toBe(0);
    protocol.hold(false);
    await protocol.held[0]!.resolve();
    await until(() => uploader.getSnapshot().files[0]?.status === 'completed');
    expect(protocol.parts()).toHaveLength(3);
  });
});

describe('part sizes', () => {
  test('grow with measured throughput up to maxPartSize when parts are not hashed', async () => {
    const { uploader, protocol, clock, file } = setup(
      { checksum: false, partSize: 8 * KiB, maxPartSize: 64 * KiB },
      { latency: () => 200 },
    );
    uploader.add([makeFile('a', 300 * KiB, { seed: 8 })]);
    while (file().status !== 'completed') {
      clock.advance(200);
      await settle(5);
    }
    expect(protocol.parts().map((p) => (p.end! - p.start!) / KiB)).toEqual([8, 32, 64, 64, 64, 64, 4]);
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(300 * KiB, 8)));
  });

  test('stay put while requests are slow, and never exceed the session maxPartSize', async () => {
    const slow = setup({ checksum: false, partSize: 8 * KiB }, { latency: () => 10_000 });
    slow.uploader.add([makeFile('a', 32 * KiB)]);
    while (slow.file().status !== 'completed') {
      slow.clock.advance(500);
      await settle(5);
    }
    expect(slow.protocol.parts().map((p) => (p.end! - p.start!) / KiB)).toEqual([8, 8, 8, 8]);

    const capped = setup({ checksum: false, partSize: 8 * KiB }, { capabilities: { layout: { kind: 'free', maxPartSize: 20 * KiB } } });
    capped.uploader.add([makeFile('a', 60 * KiB)]);
    await until(() => capped.file().status === 'completed');
    expect(capped.protocol.parts().map((p) => (p.end! - p.start!) / KiB)).toEqual([8, 20, 20, 12]);
  });

  test('a session that starts verifying checksums gets parts that fit the pooled buffer again', async () => {
    const { uploader, protocol, clock, file } = setup({ checksum: 'auto', partSize: 8 * KiB, retry: { delays: [0] } });
    protocol.hold();
    uploader.add([makeFile('a', 64 * KiB, { seed: 13 })]);
    await until(() => protocol.held.length === 1);
    await protocol.held[0]!.resolve();
    await until(() => protocol.held.length === 1);
    expect(protocol.held[0]!.end - protocol.held[0]!.start).toBe(32 * KiB);
    protocol.capabilities.checksum = 'sha-256';
    protocol.held[0]!.reject(new UploadError('network', 'reset'));
    await until(() => file().attempt === 1);
    clock.advance(0);
    protocol.hold(false);
    await until(() => file().status === 'completed' || file().status === 'failed');
    expect(file().status).toBe('completed');
    const after = protocol.parts().slice(2);
    expect(after.every((p) => p.sha256 !== undefined && p.end! - p.start! === 8 * KiB)).toBe(true);
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(64 * KiB, 13)));
  });

  test('a part that is the whole file sends the File itself; parts of a larger file send slices', async () => {
    const { uploader, protocol, file } = setup({ checksum: false, partSize: 10 * KiB, maxPartSize: 10 * KiB });
    const small = makeFile('small', 10 * KiB);
    const large = makeFile('large', 25 * KiB);
    uploader.add([small, large]);
    await until(() => uploader.getSnapshot().files.every((f) => f.status === 'completed'));
    const bodies = (name: string) => protocol.parts().filter((p) => p.file === name).map((p) => p.body);
    expect(bodies('small')).toEqual([small]);
    expect(bodies('small')[0]).toBe(small);
    expect(bodies('large')).toHaveLength(3);
    expect(bodies('large').some((body) => body === large)).toBe(false);
    expect(file().status).toBe('completed');
  });

  test('an empty file sends one empty last part and completes at progress 1', async () => {
    const { uploader, protocol, file } = setup({ checksum: 'sha-256' });
    uploader.add([makeFile('empty', 0)]);
    await until(() => file().status === 'completed');
    expect(protocol.parts().map(({ start, end, last }) => ({ start, end, last }))).toEqual([{ start: 0, end: 0, last: true }]);
    expect(protocol.parts()[0]?.sha256).toBe(sha(new Uint8Array(0)));
    expect(file()).toMatchObject({ progress: 1, bytesSent: 0, bytesAcknowledged: 0 });
    expect(uploader.getSnapshot().totals.progress).toBe(1);
  });

  test('when the server accepts fewer bytes, the rest is sent from where it stopped', async () => {
    const { uploader, protocol, file } = setup({ checksum: 'sha-256', partSize: 10 * KiB });
    protocol.acceptNext(3 * KiB);
    uploader.add([makeFile('a', 25 * KiB, { seed: 6 })]);
    await until(() => file().status === 'completed');
    expect(protocol.parts().map((p) => p.start! / KiB)).toEqual([0, 3, 13, 23]);
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(25 * KiB, 6)));
  });

  test('sends up to maxParallelParts parts of one file at once', async () => {
    const { uploader, protocol, file } = setup(
      { checksum: false, partSize: 10 * KiB, maxPartSize: 10 * KiB },
      { capabilities: { maxParallelParts: 3 } },
    );
    protocol.hold();
    uploader.add([makeFile('a', 50 * KiB, { seed: 11 })]);
    await until(() => protocol.held.length === 3);
    await settle();
    expect(protocol.held.map((p) => p.start / KiB)).toEqual([0, 10, 20]);
    await protocol.held[1]!.resolve();
    await until(() => protocol.held.length === 3);
    protocol.hold(false);
    while (protocol.held.length > 0) await protocol.held.at(-1)!.resolve();
    await until(() => file().status === 'completed');
    expect(protocol.maxPartsInFlight).toBe(3);
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(50 * KiB, 11)));
  });
});

describe('progress, headers and metadata', () => {
  test('bytesSent counts the request in flight; bytesAcknowledged only what the server confirmed', async () => {
    const { uploader, protocol, clock, file } = setup({ checksum: false, partSize: 10 * KiB, maxPartSize: 10 * KiB });
    protocol.hold();
    uploader.add([makeFile('a', 20 * KiB)]);
    await until(() => protocol.held.length === 1);
    protocol.held[0]!.progress(4 * KiB);
    clock.advance(100);
    expect(file()).toMatchObject({ bytesSent: 4 * KiB, bytesAcknowledged: 0 });
    await protocol.held[0]!.resolve();
    await until(() => protocol.held.length === 1);
    clock.advance(100);
    expect(file()).toMatchObject({ bytesSent: 10 * KiB, bytesAcknowledged: 10 * KiB, progress: 0.5 });
  });

  test('a headers function is evaluated before every request and passed to each protocol call', async () => {
    let n = 0;
    const { uploader, protocol, clock, file } = setup({
      checksum: false,
      partSize: 10,
      maxPartSize: 10,
      retry: { delays: [0] },
      headers: async () => ({ Authorization: `Bearer ${++n}` }),
    });
    protocol.hold();
    uploader.add([makeFile('a', 20)]);
    await until(() => protocol.held.length === 1);
    protocol.held[0]!.reject(new UploadError('network', 'reset'));
    await until(() => file().attempt === 1);
    clock.advance(0);
    await until(() => protocol.held.length === 1 && protocol.count('sync') === 1);
    await uploader.cancel();
    expect(protocol.calls.map((c) => `${c.kind} ${c.headers.Authorization}`)).toEqual([
      'open Bearer 1',
      'sendPart Bearer 2',
      'sync Bearer 3',
      'sendPart Bearer 4',
      'terminate Bearer 5',
    ]);
    expect(file().status).toBe('canceled');
  });

  test('a headers function that never settles fails as "timeout" after responseTimeout, is retried, and the upload completes', async () => {
    let calls = 0;
    const { uploader, protocol, clock, file } = setup({
      checksum: false,
      responseTimeout: 4000,
      retry: { delays: [0] },
      // The second call (before the part) hangs, as a token refresh whose own request never answers.
      headers: () => (++calls === 2 ? new Promise<Record<string, string>>(() => {}) : Promise.resolve({ 'X-Call': String(calls) })),
    });
    uploader.add([makeFile('a', 20, { seed: 4 })]);
    await until(() => calls === 2, 'the hanging headers() call');
    clock.advance(3999);
    await settle();
    expect(file()).toMatchObject({ status: 'uploading', attempt: 0 });
    clock.advance(1);
    await until(() => file().attempt === 1, 'the retry');
    clock.advance(0);
    await until(() => file().status === 'completed');
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(20, 4)));
  });

  test('a headers function stuck past the retries fails the file with the "timeout" code, naming headers()', async () => {
    const { uploader, clock, file } = setup({
      checksum: false,
      responseTimeout: 4000,
      retry: { maxRetries: 0 },
      headers: () => new Promise<Record<string, string>>(() => {}),
    });
    uploader.add([makeFile('a', 20)]);
    await settle();
    clock.advance(4000);
    await until(() => file().status === 'failed');
    expect(file().error).toMatchObject({ code: 'timeout', message: 'headers() gave no answer within 4000 ms' });
  });

  test('configure() changes headers and retry options live and ignores options fixed at creation', async () => {
    const { uploader, protocol, clock, file } = setup({ checksum: false, partSize: 10, maxPartSize: 10, headers: { 'X-V': '1' } });
    protocol.hold();
    uploader.add([makeFile('a', 20)]);
    await until(() => protocol.held.length === 1);
    uploader.configure({ headers: { 'X-V': '2' }, retry: { delays: [7] }, ...({ partSize: 1 } as object) });
    protocol.held[0]!.reject(new UploadError('network', 'reset'));
    await until(() => file().attempt === 1);
    clock.advance(6);
    await settle();
    expect(protocol.count('sendPart')).toBe(1);
    clock.advance(1);
    await until(() => protocol.held.length === 1);
    expect(protocol.held[0]!.end - protocol.held[0]!.start).toBe(10);
    expect(protocol.calls.map((c) => `${c.kind} ${c.headers['X-V']}`)).toEqual(['open 1', 'sendPart 1', 'sync 2', 'sendPart 2']);
  });

  test('a headers record is sent as is; metadata always has filename and filetype plus metadata(file)', async () => {
    const { uploader, protocol, file } = setup({
      checksum: false,
      headers: { 'X-Team': 'core' },
      metadata: (f) => ({ size: String(f.size), owner: 'me' }),
    });
    uploader.add([makeFile('photo.png', 12, { type: 'image/png' })]);
    await until(() => file().status === 'completed');
    expect(protocol.calls.every((c) => c.headers['X-Team'] === 'core')).toBe(true);
    expect(protocol.calls[0]?.metadata).toEqual({ filename: 'photo.png', filetype: 'image/png', size: '12', owner: 'me' });
  });
});
