import { bytes, KiB, makeFile, setup, sha, storedBytes, until } from './harness.js';

describe('part layout declared by the session', () => {
  test('a grid: every part but the last is exactly one cell, whatever partSize says', async () => {
    const { uploader, protocol, file } = setup(
      { checksum: false, partSize: 3 * KiB, maxPartSize: 64 * KiB },
      { capabilities: { layout: { kind: 'grid', partSize: 10 * KiB }, maxParallelParts: 3 } },
    );
    uploader.add([makeFile('a', 35 * KiB, { seed: 5 })]);
    await until(() => file().status === 'completed' || file().status === 'failed');
    expect(file().status).toBe('completed');
    expect(protocol.parts().map((p) => [p.start, p.end])).toEqual([
      [0, 10 * KiB],
      [10 * KiB, 20 * KiB],
      [20 * KiB, 30 * KiB],
      [30 * KiB, 35 * KiB],
    ]);
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(35 * KiB, 5)));
  });

  test('whole: one part of exactly the file', async () => {
    const { uploader, protocol, file } = setup({ checksum: false, partSize: 4 * KiB }, { capabilities: { layout: { kind: 'whole' } } });
    const whole = makeFile('w', 21 * KiB, { seed: 6 });
    uploader.add([whole]);
    await until(() => file().status === 'completed');
    expect(protocol.parts().map((p) => p.body)).toEqual([whole]);
  });

  test('a grid larger than the pooled buffers cannot be hashed: the file fails at open, naming both sizes, and sends nothing', async () => {
    const { uploader, protocol, file } = setup(
      { checksum: 'sha-256', partSize: 8 * KiB },
      { capabilities: { layout: { kind: 'grid', partSize: 16 * KiB } } },
    );
    uploader.add([makeFile('a', 40 * KiB)]);
    await until(() => file().status === 'failed');
    expect(file().error?.code).toBe('protocol');
    expect(file().error?.message).toContain(`${16 * KiB} bytes`);
    expect(file().error?.message).toContain(`partSize: ${8 * KiB} bytes`);
    expect(file().error?.message).toContain('grid');
    expect(protocol.count('open')).toBe(1);
    expect(protocol.parts()).toHaveLength(0);
  });

  test('the same grid within the pooled buffers is hashed, and uploads', async () => {
    const { uploader, protocol, file } = setup(
      { checksum: 'sha-256', partSize: 16 * KiB },
      { capabilities: { layout: { kind: 'grid', partSize: 16 * KiB } } },
    );
    uploader.add([makeFile('a', 40 * KiB, { seed: 9 })]);
    await until(() => file().status === 'completed');
    expect(protocol.parts().every((p) => p.sha256 !== undefined)).toBe(true);
    expect(sha(storedBytes(protocol))).toBe(sha(bytes(40 * KiB, 9)));
  });
});
