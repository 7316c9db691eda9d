import { BufferPool } from '../../src/core/BufferPool.js';
import { crcBytes } from '../../src/core/checksums/checksum.js';
import { crcUpdate } from '../../src/core/checksums/crcUpdate.js';
import { LeaseHasher } from '../../src/core/LeaseHasher.js';

const MiB = 1024 * 1024;

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 64 KiB per call.
  for (let start = 0; start < bytes.length; start += 65536) crypto.getRandomValues(bytes.subarray(start, start + 65536));
  return bytes;
}

/** A watch that never gives up, counting the progress the worker reports. */
function watch(): { onProgress(): void; giveUp: AbortSignal; progress: number } {
  const counter = { progress: 0, giveUp: new AbortController().signal, onProgress: () => void counter.progress++ };
  return counter;
}

describe('LeaseHasher CRCs in Chromium (the worker reads the part itself)', () => {
  let hasher: LeaseHasher;
  let pool: BufferPool;
  beforeEach(() => {
    hasher = new LeaseHasher();
    pool = new BufferPool({ bufferSize: 4 * MiB, budget: 4 * MiB });
  });
  afterEach(() => {
    hasher.destroy();
    expect(pool.stats().leasedBuffers).toBe(0);
    pool.destroy();
  });

  it.each(['crc32', 'crc32c', 'crc64nvme'] as const)(
    '%s: a part larger than the buffer, read through it window after window, equals the CRC computed on the page',
    async (algorithm) => {
      const part = randomBytes(10 * MiB + 7);
      const lease = await pool.lease(undefined, MiB);
      const sent = lease.buffer;
      const progress = watch();
      const value = await hasher.hashBlob(lease, new Blob([part]), algorithm, new AbortController().signal, progress);
      // Transferred there and back, never copied: the original is detached, the lease holds the one returned.
      expect(sent.byteLength).toBe(0);
      expect(lease.buffer.byteLength).toBe(MiB);
      lease.release();
      expect(value).toEqual(crcBytes(algorithm, crcUpdate(algorithm, [], part)));
      // The worker reported progress as bytes landed (once per MiB read), which is what the stall watch hears.
      expect(progress.progress).toBeGreaterThanOrEqual(9);
      // One 1 MiB buffer served every window.
      expect(pool.stats()).toMatchObject({ buffersCreated: 1, buffersReleased: 1, peakInFlightBytes: MiB });
    },
  );

  it('many parts in a row, each a slice of one file, all agree with the page (no read left hanging)', async () => {
    const bytes = randomBytes(24 * MiB);
    // A file on disk, as a chosen file is: its slices are ranges of the file. Slices of an in-memory
    // Blob are copies in Chromium's blob storage, each kept until the worker that read it is collected:
    // these 40 parts would hold 320 MiB of its 500 MiB quota, and later Blobs were born unreadable.
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle('crc-worker-parts.bin', { create: true });
    try {
      const writable = await handle.createWritable();
      await writable.write(bytes);
      await writable.close();
      const file = await handle.getFile();
      for (let round = 0; round < 40; round++) {
        const start = (round * 3 * MiB + round) % (16 * MiB);
        const end = start + 8 * MiB - round;
        const lease = await pool.lease(undefined, MiB);
        const value = await hasher.hashBlob(lease, file.slice(start, end), 'crc32', new AbortController().signal, watch());
        lease.release();
        expect(value).toEqual(crcBytes('crc32', crcUpdate('crc32', [], bytes.subarray(start, end))));
      }
    } finally {
      await root.removeEntry('crc-worker-parts.bin');
    }
    expect(pool.stats()).toMatchObject({ buffersCreated: 1, buffersFreed: 0 });
  });
});
