import type { BufferLease } from '../BufferPool.js';
import { readChunk, type ReadWatch } from '../readChunk.js';
import { sha256 } from '../sha256.js';
import { type ChecksumAlgorithm, crcBytes, isCrc } from './checksum.js';
import { crcUpdate } from './crcUpdate.js';

/**
 * Where no worker runs (no Worker: SSR, a CSP, a failed start; or it died), a part read and hashed on
 * the page, as LeaseHasher's worker does: SHA-256 of the whole part in the buffer, a CRC continued over
 * turns of the buffer's length. Loaded only then, with the CRC tables.
 */
export async function hashOnPage(lease: BufferLease, blob: Blob, algorithm: ChecksumAlgorithm, signal: AbortSignal, watch: ReadWatch): Promise<Uint8Array> {
  if (!isCrc(algorithm)) return sha256(await readChunk(blob, lease, signal, watch));
  let state: number[] = [];
  const window = lease.buffer.byteLength;
  for (let start = 0; start < blob.size; start += window) {
    state = crcUpdate(algorithm, state, await readChunk(blob.slice(start, start + window), lease, signal, watch));
  }
  return crcBytes(algorithm, state);
}
