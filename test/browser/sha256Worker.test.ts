import { BufferPool } from '../../src/core/BufferPool.js';
import { LeaseHasher } from '../../src/core/LeaseHasher.js';

const MiB = 1024 * 1024;

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 64 KiB per call.
  for (let start = 0; start < bytes.length; start += 65536) crypto.getRandomValues(bytes.subarray(start, start + 65536));
  return bytes;
}

/** The digest computed here on the page: the worker path must agree with it byte for byte. */
async function expectedDigest(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

/** Resolves once `buffer` was transferred away (detached), i.e. the worker holds it; fails if it never is. */
async function detached(buffer: ArrayBuffer): Promise<void> {
  for (let polls = 0; buffer.byteLength !== 0; polls++) {
    if (polls > 2000) throw new Error('the buffer was never transferred to the worker');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

const never = (): { onProgress(): void; giveUp: AbortSignal } => ({ onProgress: () => {}, giveUp: new AbortController().signal });
const running = (): AbortSignal => new AbortController().signal;

describe('LeaseHasher SHA-256 in Chromium (the worker reads the part and digests it)', () => {
  let hasher: LeaseHasher;
  let pool: BufferPool;
  beforeEach(() => {
    hasher = new LeaseHasher();
    pool = new BufferPool({ bufferSize: 16 * MiB, budget: 16 * MiB });
  });
  afterEach(() => {
    hasher.destroy();
    expect(pool.stats().leasedBuffers).toBe(0);
    pool.destroy();
  });

  it('reads and hashes in the worker, transfers the pooled buffer there and back, and the pool reuses it', async () => {
    for (const length of [16 * MiB, 5 * MiB + 3, 1]) {
      const bytes = randomBytes(length);
      const lease = await pool.lease(undefined, 16 * MiB);
      const sent = lease.buffer;
      const digest = await hasher.hashBlob(lease, new Blob([bytes]), 'sha-256', running(), never());
      expect(digest).toEqual(await expectedDigest(bytes));
      // The original was transferred (detached), not copied; the lease adopted the buffer that came back,
      // which holds the part's bytes.
      expect(sent.byteLength).toBe(0);
      expect(lease.buffer.byteLength).toBe(16 * MiB);
      expect(await expectedDigest(new Uint8Array(lease.buffer, 0, length))).toEqual(await expectedDigest(bytes));
      lease.release();
    }
    expect(pool.stats()).toMatchObject({ buffersCreated: 1, buffersReused: 2, buffersFreed: 0 });
  });

  it('a part larger than its buffer is refused, not hashed in part', async () => {
    const lease = await pool.lease(undefined, MiB);
    await expect(hasher.hashBlob(lease, new Blob([randomBytes(MiB + 1)]), 'sha-256', running(), never())).rejects.toThrow(/do not fit/);
    lease.release();
  });

  it('a worker gone mid-hash loses its buffer: the lease frees it, and later hashes run on the main thread', async () => {
    const lease = await pool.lease();
    const sent = lease.buffer;
    const hashing = hasher.hashBlob(lease, new Blob([randomBytes(16 * MiB)]), 'sha-256', running(), never());
    await detached(sent);
    hasher.destroy();
    expect(await hashing).toBeNull();
    lease.release();
    expect(pool.stats()).toMatchObject({ buffersCreated: 1, buffersFreed: 1, buffersReleased: 0 });

    const again = await pool.lease();
    const bytes = randomBytes(1000);
    expect(await hasher.hashBlob(again, new Blob([bytes]), 'sha-256', running(), never())).toEqual(await expectedDigest(bytes));
    // Main-thread fallback: read into the pooled buffer on the page; the lease holds it, whole.
    expect(again.buffer.byteLength).toBe(16 * MiB);
    expect(new Uint8Array(again.buffer, 0, 1000)).toEqual(bytes);
    again.release();
    expect(pool.stats()).toMatchObject({ buffersCreated: 2, buffersReleased: 1 });
  });

  it('a pause stops the read after the read under way and gives the buffer back ("aborted")', async () => {
    const pause = new AbortController();
    const lease = await pool.lease();
    const hashing = hasher.hashBlob(lease, new Blob([randomBytes(16 * MiB)]), 'sha-256', pause.signal, never());
    pause.abort();
    await expect(hashing).rejects.toMatchObject({ code: 'aborted' });
    expect(lease.buffer.byteLength).toBe(16 * MiB);
    lease.release();
    expect(pool.stats()).toMatchObject({ buffersReleased: 1, buffersFreed: 0 });
  });

  it('a stall gives up at once with the watch\'s reason; the buffer stays with the read, release frees its slot, and the worker is ended', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    const giveUp = new AbortController();
    const lease = await pool.lease();
    const sent = lease.buffer;
    const hashing = hasher.hashBlob(lease, new Blob([randomBytes(16 * MiB)]), 'sha-256', running(), { onProgress: () => {}, giveUp: giveUp.signal });
    await detached(sent);
    giveUp.abort(new Error('stalled here'));
    await expect(hashing).rejects.toThrow('stalled here');
    lease.release();
    expect(pool.stats()).toMatchObject({ buffersFreed: 1, buffersReleased: 0 });
    // A worker that lets a read stall may be hung (no error event tells): it is ended, and the next part
    // is read and hashed on the main thread.
    expect(terminate).toHaveBeenCalledTimes(1);
    terminate.mockRestore();
    const next = await pool.lease();
    const bytes = randomBytes(4096);
    expect(await hasher.hashBlob(next, new Blob([bytes]), 'sha-256', running(), never())).toEqual(await expectedDigest(bytes));
    expect(next.buffer.byteLength).toBe(16 * MiB);
    next.release();
  });
});
