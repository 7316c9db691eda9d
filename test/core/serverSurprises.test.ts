import { UploadError } from '../../src/core/UploadError.js';
import type { HeadersContext } from '../../src/core/types.js';
import { KiB, bytes, makeFile, settle, setup, sha, storedBytes, until } from './harness.js';

/** Let the fake clock run (1 ms a turn: retry delays) until `check` holds. */
async function ticking(clock: { advance(ms: number): void }, check: () => boolean): Promise<void> {
  for (let turn = 0; turn < 500 && !check(); turn++) {
    clock.advance(1);
    await settle();
  }
  expect(check()).toBe(true);
}

const refusedWith = (code: number): UploadError =>
  new UploadError('http-status', `refused ${code}`, { response: { status: code, body: '', headers: {} } });

describe('expired credentials (401/403 mid-upload)', () => {
  test('headers() is asked again, told the last answer was refused, and the upload goes on with what it returns', async () => {
    const asked: HeadersContext[] = [];
    let token = 'old';
    const { uploader, protocol, file } = setup({
      checksum: false,
      partSize: 10 * KiB,
      maxPartSize: 10 * KiB,
      headers: (context) => {
        asked.push(context);
        if (context.refused) token = 'fresh';
        return { Authorization: `Bearer ${token}` };
      },
    });
    protocol.hold();
    uploader.add([makeFile('a', 30 * KiB, { seed: 4 })]);
    await until(() => protocol.held.length === 1);
    await protocol.held[0]!.resolve();
    await until(() => protocol.held.length === 1);
    protocol.held[0]!.reject(refusedWith(401));
    protocol.hold(false);
    await until(() => file().status === 'completed' || file().status === 'failed');
    expect(file().status).toBe('completed');
    expect(file().attempt).toBe(0);
    expect(asked.filter((c) => c.refused)).toHaveLength(1);
    const parts = protocol.parts();
    expect(parts.map((p) => p.headers['Authorization'])).toEqual(['Bearer old', 'Bearer old', 'Bearer fresh', 'Bearer fresh']);
    // The refreshed request asked the server where it stood first (sync), and went on from there.
    expect(parts.map((p) => p.start)).toEqual([0, 10 * KiB, 10 * KiB, 20 * KiB]);
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(30 * KiB, 4)));
  });

  test('a second refusal fails the file as unauthorized; retry() continues from the server\'s offset', async () => {
    const { uploader, protocol, file } = setup({ checksum: false, partSize: 10 * KiB, maxPartSize: 10 * KiB, headers: () => ({ Authorization: 'Bearer x' }) });
    protocol.hold();
    uploader.add([makeFile('a', 30 * KiB, { seed: 8 })]);
    await until(() => protocol.held.length === 1);
    await protocol.held[0]!.resolve();
    protocol.hold(false);
    protocol.failNext('sendPart', refusedWith(403));
    protocol.failNext('sendPart', refusedWith(401));
    await until(() => file().status === 'failed');
    expect(file().error?.code).toBe('unauthorized');
    expect(file().error?.message).toContain('401');
    expect(protocol.count('sendPart')).toBe(3);

    uploader.retry(file().id);
    await until(() => file().status === 'completed' || file().status === 'failed');
    expect(file().status).toBe('completed');
    expect(protocol.parts().slice(3).map((p) => p.start)).toEqual([10 * KiB, 20 * KiB]);
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(30 * KiB, 8)));
  });
});

describe('server-side surprises', () => {
  test('507 (storage full) fails at once: no retries, the response kept', async () => {
    const { uploader, protocol, file } = setup({ checksum: false });
    protocol.failNext('sendPart', new UploadError('http-status', 'full', { response: { status: 507, body: 'Insufficient Storage', headers: {} } }));
    uploader.add([makeFile('a', 1000)]);
    await until(() => file().status === 'failed');
    expect(protocol.count('sendPart')).toBe(1);
    expect(file().attempt).toBe(0);
    expect(file().error?.response?.status).toBe(507);
  });

  test('a server that lost acknowledged bytes: the file goes back to its offset, says so, and never finishes short', async () => {
    const { uploader, protocol, file, clock } = setup({ checksum: false, partSize: 10 * KiB, maxPartSize: 10 * KiB, retry: { delays: [0] } });
    protocol.hold();
    uploader.add([makeFile('a', 40 * KiB, { seed: 2 })]);
    for (let i = 0; i < 2; i++) {
      await until(() => protocol.held.length === 1);
      await protocol.held[0]!.resolve();
    }
    await until(() => protocol.held.length === 1 && file().bytesAcknowledged === 20 * KiB);
    // The server restarts having kept only the first part.
    const upload = [...protocol.uploads.values()][0]!;
    upload.received = [{ start: 0, end: 10 * KiB }];
    upload.bytes.fill(0, 10 * KiB);
    protocol.held[0]!.reject(new UploadError('network', 'reset'));
    protocol.hold(false);
    await until(() => file().attempt === 1);
    clock.advance(0);
    await until(() => file().status === 'completed' || file().status === 'failed');
    expect(file().status).toBe('completed');
    expect(file().notice).toBe('rewound');
    expect(protocol.parts().slice(3).map((p) => p.start)).toEqual([10 * KiB, 20 * KiB, 30 * KiB]);
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(40 * KiB, 2)));
  });

  test('an upload deleted or expired mid-way starts afresh with a clear note', async () => {
    const { uploader, protocol, file, clock } = setup({ checksum: false, partSize: 10 * KiB, maxPartSize: 10 * KiB, retry: { delays: [0] } });
    protocol.hold();
    uploader.add([makeFile('a', 30 * KiB, { seed: 6 })]);
    await until(() => protocol.held.length === 1);
    await protocol.held[0]!.resolve();
    await until(() => protocol.held.length === 1);
    const first = [...protocol.uploads.values()][0]!;
    first.terminated = true;
    protocol.held[0]!.reject(new UploadError('http-status', 'gone', { response: { status: 503, body: '', headers: {} } }));
    protocol.hold(false);
    await until(() => file().attempt === 1);
    clock.advance(0);
    await until(() => file().status === 'completed' || file().status === 'failed');
    expect(file().status).toBe('completed');
    expect(file().notice).toBe('restarted');
    expect(protocol.uploads.size).toBe(2);
    expect(file().url).not.toBe(first.url);
    expect(sha([...protocol.uploads.values()][1]!.bytes)).toBe(sha(bytes(30 * KiB, 6)));
  });
});

describe('body limits (413)', () => {
  const MiB = 1024 * KiB;

  test('a 413 halves the part and the same bytes go again, with no retry spent; later files start at the size that worked', async () => {
    const { uploader, protocol, file } = setup(
      { checksum: false, partSize: 8 * MiB, maxPartSize: 8 * MiB, memoryBudget: 8 * MiB },
      { maxBody: 3 * MiB },
    );
    uploader.add([makeFile('a', 12 * MiB, { seed: 3 })]);
    await until(() => file().status === 'completed' || file().status === 'failed');
    expect(file().status).toBe('completed');
    expect(file().attempt).toBe(0);
    expect(protocol.parts('a').map((p) => p.end! - p.start!)).toEqual([8 * MiB, 4 * MiB, 2 * MiB, 2 * MiB, 2 * MiB, 2 * MiB, 2 * MiB, 2 * MiB]);
    expect(sha(storedBytes(protocol, 'a'))).toBe(sha(bytes(12 * MiB, 3)));

    uploader.add([makeFile('b', 5 * MiB, { seed: 9 })]);
    await until(() => uploader.getSnapshot().files[1]?.status === 'completed');
    // Never past the size that worked: no 413 for the second file.
    expect(protocol.parts('b').map((p) => p.end! - p.start!)).toEqual([2 * MiB, 2 * MiB, MiB]);
    expect(sha(storedBytes(protocol, 'b'))).toBe(sha(bytes(5 * MiB, 9)));
  });

  test('at the floor, a clear error names the refused size and the limit, and nothing is retried', async () => {
    const { uploader, protocol, file } = setup({ checksum: false, partSize: 4 * MiB, maxPartSize: 4 * MiB, memoryBudget: 4 * MiB }, { maxBody: 512 * KiB });
    uploader.add([makeFile('a', 6 * MiB)]);
    await until(() => file().status === 'failed');
    expect(protocol.parts().map((p) => p.end! - p.start!)).toEqual([4 * MiB, 2 * MiB, MiB]);
    expect(file().attempt).toBe(0);
    expect(file().error?.code).toBe('http-status');
    expect(file().error?.response?.status).toBe(413);
    expect(file().error?.message).toContain(`bodies of ${MiB} bytes refused (413), even at the smallest part size`);
  });

  test('a connection cut at the same byte count on two failures in a row is a body limit: parts go below it, for later files too', async () => {
    const { uploader, protocol, clock, file } = setup({ checksum: false, partSize: 8 * MiB, maxPartSize: 8 * MiB, memoryBudget: 8 * MiB, retry: { delays: [1, 1, 1] } });
    // A proxy that drops the connection after 3 MiB of every body: the server keeps 3 MiB each time.
    const cut = (): UploadError => new UploadError('http-status', 'Upload-Offset conflict', { response: { status: 409, body: '', headers: {} } });
    protocol.failNext('sendPart', cut(), { keep: 3 * MiB });
    protocol.failNext('sendPart', cut(), { keep: 3 * MiB });
    uploader.add([makeFile('a', 12 * MiB, { seed: 5 })]);
    await ticking(clock, () => file().status === 'completed' || file().status === 'failed');
    expect(file().status).toBe('completed');
    expect(protocol.parts('a').map((p) => [p.start, p.end! - p.start!])).toEqual([
      [0, 8 * MiB], [3 * MiB, 8 * MiB], [6 * MiB, 1.5 * MiB], [7.5 * MiB, 1.5 * MiB], [9 * MiB, 1.5 * MiB], [10.5 * MiB, 1.5 * MiB],
    ]);
    expect(sha(storedBytes(protocol, 'a'))).toBe(sha(bytes(12 * MiB, 5)));
    uploader.add([makeFile('b', 2 * MiB, { seed: 6 })]);
    await until(() => uploader.getSnapshot().files[1]?.status === 'completed');
    expect(protocol.parts('b').map((p) => p.end! - p.start!)).toEqual([1.5 * MiB, 0.5 * MiB]);
  });

  test('a cut that keeps a different count each time (a flaky link) changes no part size', async () => {
    const { uploader, protocol, clock, file } = setup({ checksum: false, partSize: 4 * MiB, maxPartSize: 4 * MiB, memoryBudget: 4 * MiB, retry: { delays: [1, 1, 1] } });
    protocol.failNext('sendPart', new UploadError('network', 'reset'), { keep: MiB });
    protocol.failNext('sendPart', new UploadError('network', 'reset'), { keep: 2 * MiB });
    uploader.add([makeFile('a', 12 * MiB, { seed: 7 })]);
    await ticking(clock, () => file().status === 'completed' || file().status === 'failed');
    expect(file().status).toBe('completed');
    expect(protocol.parts('a').map((p) => p.end! - p.start!)).toEqual([4 * MiB, 4 * MiB, 4 * MiB, 4 * MiB, MiB]);
  });

  test('a protocol-cut layout (grid) cannot shrink: the 413 fails clearly at once', async () => {
    const { uploader, protocol, file } = setup(
      { checksum: false, partSize: 4 * MiB },
      { maxBody: MiB, capabilities: { layout: { kind: 'grid', partSize: 5 * MiB }, maxParallelParts: 1 } },
    );
    uploader.add([makeFile('a', 6 * MiB)]);
    await until(() => file().status === 'failed');
    expect(protocol.parts()).toHaveLength(1);
    expect(file().error?.message).toContain(`bodies of ${5 * MiB} bytes refused (413)`);
  });
});

test('a part answered 404 (the upload vanished mid-way) starts afresh at once with a note; a second 404 in a row fails', async () => {
  const { uploader, protocol, file } = setup({ checksum: false, partSize: 10 * KiB, maxPartSize: 10 * KiB });
  protocol.hold();
  uploader.add([makeFile('a', 30 * KiB, { seed: 12 })]);
  await until(() => protocol.held.length === 1);
  await protocol.held[0]!.resolve();
  await until(() => protocol.held.length === 1);
  [...protocol.uploads.values()][0]!.terminated = true;
  protocol.held[0]!.reject(new UploadError('http-status', 'gone', { response: { status: 404, body: '', headers: {} } }));
  protocol.hold(false);
  await until(() => file().status === 'completed' || file().status === 'failed');
  expect(file().status).toBe('completed');
  expect(file().attempt).toBe(0);
  expect(file().notice).toBe('restarted');
  expect(sha([...protocol.uploads.values()][1]!.bytes)).toBe(sha(bytes(30 * KiB, 12)));

  const second = setup({ checksum: false });
  const gone = (): UploadError => new UploadError('http-status', 'gone', { response: { status: 410, body: '', headers: {} } });
  second.protocol.failNext('sendPart', gone());
  second.protocol.failNext('sendPart', gone());
  second.uploader.add([makeFile('b', 1000)]);
  await until(() => second.file().status === 'failed');
  expect(second.protocol.count('sendPart')).toBe(2);
  expect(second.file().error?.response?.status).toBe(410);
});
