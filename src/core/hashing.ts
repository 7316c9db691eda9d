// What only hashed parts use (checksum on, or 'auto' with a server that verifies): the buffer pool
// and the hash worker's client (the worker reads the parts itself). One chunk loaded on the first hash, so an
// upload that hashes nothing (the default with a server that verifies nothing) ships without it.
import { BufferPool, type BufferPoolOptions } from './BufferPool.js';
import { LeaseHasher } from './LeaseHasher.js';

export interface Hashing {
  pool: BufferPool;
  hasher: LeaseHasher;
}

/** The uploader's pool and hasher; the hasher starts its worker on the first hash only. */
export function createHashing(options: BufferPoolOptions): Hashing {
  return { pool: new BufferPool(options), hasher: new LeaseHasher() };
}
