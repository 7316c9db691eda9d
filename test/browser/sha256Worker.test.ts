import { BufferPool, type BufferLease } from '../../src/core/BufferPool.js';
import { LeaseHasher } from '../../src/core/LeaseHasher.js';

const MiB = 1024 * 1024;

function randomFill(bytes: Uint8Array<ArrayBuffer>): void {
  // getRandomValues fills at most 64 KiB per call.
  for (let start = 0; start < bytes.length; start += 65536) crypto.getRandomValues(bytes.subarray(start, start + 65536));
}

/** The digest computed here on a copy: the worker path must agree with it byte for byte. */
async function expectedDigest(lease: BufferLease, length: number): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(lease.buffer, 0, length).slice()));
}

/** Resolves once `buffer` was transferred away (detached), i.e. the worker holds the bytes; fails if it never is. */
async function detached(buffer: ArrayBuffer): Promise<void> {
  for (let polls = 0; buffer.byteLength !== 0; polls++) {
    if (polls > 2000) throw new Error('the buffer was never transferred to the worker');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe('LeaseHasher in Chromium (dedicated worker)', () => {
  let hasher: LeaseHasher;
  let pool: BufferPool;
  beforeEach(() => {
    hasher = new LeaseHasher();
    pool = new BufferPool({ bufferSize: 16 * MiB, budget: 16 * MiB });
  });
  afterEach(() => {
    hasher.destroy();
    pool.destroy();
  });

  it('hashes in the worker, transfers the pooled buffer there and back, and the pool reuses it', async () => {
    for (const length of [16 * MiB, 5 * MiB + 3, 1]) {
      const lease = await pool.lease();
      const bytes = new Uint8Array(lease.buffer);
      randomFill(bytes);
      const expected = await expectedDigest(lease, length);
      const sent = lease.buffer;
      const digest = await hasher.hash(lease, length);
      expect(digest).toEqual(expected);
      // The original was transferred (detached), not copied; the lease adopted the buffer that came back.
      expect(sent.byteLength).toBe(0);
      expect(lease.buffer.byteLength).toBe(16 * MiB);
      expect(await expectedDigest(lease, length)).toEqual(expected);
      lease.release();
    }
    expect(pool.stats()).toMatchObject({ buffersCreated: 1, buffersReused: 2, buffersFreed: 0 });
  });

  it('a worker gone mid-hash loses its buffer: the lease frees it, and later hashes run on the main thread', async () => {
    const lease = await pool.lease();
    randomFill(new Uint8Array(lease.buffer));
    const sent = lease.buffer;
    const hashing = hasher.hash(lease, 16 * MiB);
    await detached(sent);
    hasher.destroy();
    expect(await hashing).toBeNull();
    lease.release();
    expect(pool.stats()).toMatchObject({ buffersCreated: 1, buffersFreed: 1, buffersReleased: 0 });

    const again = await pool.lease();
    randomFill(new Uint8Array(again.buffer, 0, 1000));
    const expected = await expectedDigest(again, 1000);
    const kept = again.buffer;
    expect(await hasher.hash(again, 1000)).toEqual(expected);
    // Main-thread fallback: hashed in place, nothing transferred.
    expect(kept.byteLength).toBe(16 * MiB);
    again.release();
    expect(pool.stats()).toMatchObject({ buffersCreated: 2, buffersReleased: 1 });
  });
});
