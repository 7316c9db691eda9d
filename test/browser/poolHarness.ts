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
