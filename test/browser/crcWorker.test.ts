import { BufferPool } from '../../src/core/BufferPool.js';
import { crcBytes } from '../../src/core/checksums/checksum.js';
import { crcUpdate } from '../../src/core/checksums/crcUpdate.js';
import { LeaseHasher } from '../../src/core/LeaseHasher.js';

const MiB = 1024 * 1024;

function randomFill(bytes: Uint8Array<ArrayBuffer>): void {
  // getRandomValues fills at most 64 KiB per call.
  for (let start = 0; start < bytes.length; start += 65536) crypto.getRandomValues(bytes.subarray(start, start + 65536));
}

describe('LeaseHasher CRCs in Chromium (the same dedicated worker)', () => {
  let hasher: LeaseHasher;
  let pool: BufferPool;
  beforeEach(() => {
    hasher = new LeaseHasher();
    pool = new BufferPool({ bufferSize: 4 * MiB, budget: 4 * MiB });
  });
  afterEach(() => {
    hasher.destroy();
    pool.destroy();
  });

  it.each(['crc32', 'crc32c', 'crc64nvme'] as const)(
    '%s: a part fed in pieces through one transferred buffer equals the CRC of the whole, computed on the page',
    async (algorithm) => {
      const part = new Uint8Array(10 * MiB + 7);
      randomFill(part);
      const lease = await pool.lease();
      let state = crcUpdate(algorithm, [], new Uint8Array(0));
      for (let start = 0; start < part.length; start += 4 * MiB) {
        const piece = part.subarray(start, start + 4 * MiB);
        new Uint8Array(lease.buffer).set(piece);
        const sent = lease.buffer;
        const next = await hasher.crc(lease, piece.length, algorithm, state);
        if (!next) throw new Error('the worker lost the buffer');
        state = next;
        // Transferred there and back, never copied: the original is detached, the lease holds the one returned.
        expect(sent.byteLength).toBe(0);
        expect(lease.buffer.byteLength).toBe(4 * MiB);
      }
      lease.release();
      expect(crcBytes(algorithm, state)).toEqual(crcBytes(algorithm, crcUpdate(algorithm, [], part)));
      // One buffer served every piece.
      expect(pool.stats()).toMatchObject({ buffersCreated: 1, buffersReleased: 1 });
    },
  );
});
