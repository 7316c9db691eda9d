import { CRC32_POLY, CRC32C_POLY, crc32Update } from './crc32.js';
import { crc64nvmeUpdate } from './crc64nvme.js';

/**
 * Continue `state` over `bytes`. Its own module (with the tables) so that only the hash worker loads
 * it up front; the page imports it only when hashing falls back to the main thread.
 */
// The types are spelled out (they equal CrcAlgorithm and CrcState): checksum.ts re-exports this module.
export function crcUpdate(algorithm: 'crc32' | 'crc32c' | 'crc64nvme', state: readonly number[], bytes: Uint8Array): number[] {
  if (algorithm === 'crc64nvme') return crc64nvmeUpdate([state[0] ?? 0, state[1] ?? 0], bytes);
  return [crc32Update(algorithm === 'crc32' ? CRC32_POLY : CRC32C_POLY, state[0] ?? 0, bytes)];
}
