import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { storedBytes, watchProgress } from './watchProgress.js';

describe('watchProgress', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives up once the figure has not moved for the idle time', async () => {
    const watch = watchProgress(() => 7, 30_000, 2_000);
    const outcome = watch.stalled.catch((error: Error) => error.message);
    await vi.advanceTimersByTimeAsync(28_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await outcome).toBe('no request and no stored byte for 30 s');
  });

  it('keeps waiting while the figure moves, however slowly', async () => {
    let bytes = 0;
    const watch = watchProgress(() => bytes, 30_000, 2_000);
    let stalled = false;
    watch.stalled.catch(() => (stalled = true));
    for (let step = 0; step < 10; step += 1) {
      await vi.advanceTimersByTimeAsync(20_000);
      bytes += 1;
    }
    expect(stalled).toBe(false);
    watch.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(stalled).toBe(false);
  });
});

describe('storedBytes', () => {
  it('adds up the sizes of the files in a folder', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'stored-bytes-'));
    try {
      writeFileSync(path.join(directory, 'a'), Buffer.alloc(1000));
      writeFileSync(path.join(directory, 'a.json'), '{}');
      expect(storedBytes(directory)).toBe(1002);
    } finally {
      rmSync(directory, { recursive: true });
    }
  });
});
