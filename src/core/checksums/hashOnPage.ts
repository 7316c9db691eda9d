import type { BufferLease } from '../BufferPool.js';
import { readChunk, type ReadWatch } from '../readChunk.js';
import { sha256 } from '../sha256Digest.js';
import { type ChecksumAlgorithm, crcBytes, isCrc } from './checksum.js';
import { crcUpdate } from './crcUpdate.js';
import { type CrcWasm, crcWasm } from './crcWasm.js';

let fast: CrcWasm | null | undefined;

/**
 * A part read and hashed on the page: SHA-256 of the whole part in the buffer (where no worker runs:
 * SSR, a CSP, a failed start, or it died), or a CRC continued over each read as it lands, the part
 * read through the buffer a window of its length at a time. Loaded only when a part is hashed here.
 */
export async function hashOnPage(lease: BufferLease, blob: Blob, algorithm: ChecksumAlgorithm, signal: AbortSignal, watch: ReadWatch): Promise<Uint8Array> {
  if (!isCrc(algorithm)) return sha256(await readChunk(blob, lease, signal, watch));
  fast ??= crcWasm();
  const wasm = algorithm !== 'crc64nvme' ? fast : null;
  let state: number[] = [];
  await readChunk(blob, lease, signal, watch, (bytes) => {
    state = wasm ? [wasm(algorithm as 'crc32' | 'crc32c', state[0] ?? 0, bytes)] : crcUpdate(algorithm, state, bytes);
  });
  return crcBytes(algorithm, state);
}
