// What only hashed parts use (checksum on, or 'auto' with a server that verifies): the buffer pool,
// the hash worker's client and the pooled file reader. One chunk loaded on the first hash, so an
// upload that hashes nothing (the default with a server that verifies nothing) ships without it.
import { BufferPool, type BufferPoolOptions } from './BufferPool.js';
import { LeaseHasher } from './LeaseHasher.js';

export { readChunk } from './readChunk.js';

export interface Hashing {
  pool: BufferPool;
  hasher: LeaseHasher;
}

/** The uploader's pool and hasher; the hasher starts its worker on the first hash only. */
export function createHashing(options: BufferPoolOptions): Hashing {
  return { pool: new BufferPool(options), hasher: new LeaseHasher() };
}
