import { BufferPool } from '../../src/core/BufferPool.js';

export const MiB = 1024 * 1024;

/**
 * Pools made through the returned factory are checked after each test (no lease left behind) and
 * destroyed. Call at the top level of a test file.
 */
export function usePools(): (bufferSize: number, buffers?: number, onChange?: (pool: BufferPool) => void) => BufferPool {
  let pools: BufferPool[] = [];
  beforeEach(() => {
    pools = [];
  });
  afterEach(() => {
    for (const pool of pools) {
      expect(pool.stats().leasedBuffers).toBe(0);
      pool.destroy();
    }
  });
  return (bufferSize, buffers = 1, onChange) => {
    const pool: BufferPool = new BufferPool({
      bufferSize,
      budget: buffers * bufferSize,
      onChange: () => onChange?.(pool),
    });
    pools.push(pool);
    return pool;
  };
}

export function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  // getRandomValues fills at most 64 KiB per call.
  for (let start = 0; start < size; start += 65536) crypto.getRandomValues(bytes.subarray(start, start + 65536));
  return bytes;
}

/**
 * Rejects naming `label` when `promise` has not settled within `ms`: a hung browser read or digest
 * then fails the test at the step that hung, instead of as a bare test timeout minutes later.
 */
export function within<T>(label: string, promise: Promise<T>, ms = 30_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}
