// What only hashed parts use (checksum on, or 'auto' with a server that verifies): the buffer pool,
// the hash worker's client (the worker reads the parts itself) and the lease → hash → release loop
// with its read-stall watch. One chunk loaded on the first hash, so an upload that hashes nothing (the
// default with a server that verifies nothing) ships without it.
import { BufferPool, type BufferPoolOptions } from './BufferPool.js';
import { isCrc } from './checksums/checksum.js';
import { LeaseHasher } from './LeaseHasher.js';
import type { ChecksumAlgorithm, Clock } from './ports.js';
import type { SpawnedWorker } from './spawnHashWorker.js';
import { StallDetector } from './StallDetector.js';
import { UploadError } from './UploadError.js';

/**
 * A CRC'd part is read through a buffer of at most this many bytes, reused window after window: the
 * bytes in flight are this, not the part (measured: no slower than reading 8 MiB at once).
 */
const READ_WINDOW = 1024 * 1024;

export interface Hashing {
  pool: BufferPool;
  hasher: LeaseHasher;
  /** The part's digest, read and hashed by the worker through one lease (see createHashing). */
  checksum(algorithm: ChecksumAlgorithm, body: Blob, signal: AbortSignal): Promise<Uint8Array>;
}

/**
 * The uploader's pool and hasher, which adopts `worker` (spawned with the import of this chunk, so both
 * load at once). `settings` is read live: configure() may change the stall timeout while parts run.
 */
export function createHashing(options: BufferPoolOptions, settings: { readonly clock: Clock; readonly stallTimeout: number }, worker: SpawnedWorker | null): Hashing {
  const pool = new BufferPool(options);
  const hasher = new LeaseHasher(worker);
  return {
    pool,
    hasher,
    // SHA-256 needs the whole part in the buffer; a CRC is read a window at a time, so its lease is at
    // most READ_WINDOW whatever the part size (S3's grid may exceed the pool's buffers): memory stays
    // bounded by the budget, not the part.
    async checksum(algorithm, body, signal) {
      const size = isCrc(algorithm) ? Math.min(body.size, READ_WINDOW) : body.size;
      // A worker that dies mid-read takes the buffer with it: a fresh lease, the part again from the
      // start (on the main thread from then on, so this ends).
      for (;;) {
        const lease = await pool.lease(signal, size);
        // A read that makes no progress for stallTimeout is abandoned as 'stalled' (retryable): a blob
        // read the browser never answers must not hold the upload, and its pooled slot, forever. Not
        // linked to the attempt's signal: a pause lets the read under way finish into its buffer.
        const giveUp = new AbortController();
        const detector = new StallDetector(settings.clock, () => settings.stallTimeout, () => {
          giveUp.abort(new UploadError('stalled', `Reading the file made no progress for ${settings.stallTimeout} ms`));
        });
        // Armed before the first read: a read that never yields a byte is the case to catch.
        detector.progress();
        try {
          const value = await hasher.hashBlob(lease, body, algorithm, signal, { onProgress: () => detector.progress(), giveUp: giveUp.signal });
          if (value) return value;
        } finally {
          detector.done();
          lease.release();
        }
      }
    },
  };
}
