// What only hashed parts use (checksum on, or 'auto' with a server that verifies): the buffer pool,
// the hash worker's client and the pooled file reader. One chunk loaded on the first hash, so an
// upload that hashes nothing (the default with a server that verifies nothing) ships without it.
export { BufferPool } from './BufferPool.js';
export { LeaseHasher } from './LeaseHasher.js';
export { readChunk } from './readChunk.js';
