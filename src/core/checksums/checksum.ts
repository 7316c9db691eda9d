/** The digests a server may verify: tus `sha256`/`crc32`, S3's additional checksums. */
export type ChecksumAlgorithm = 'sha-256' | 'crc32' | 'crc32c' | 'crc64nvme';

/** The algorithms whose running value continues across pieces: a part larger than a buffer is read in turns. */
export type CrcAlgorithm = Exclude<ChecksumAlgorithm, 'sha-256'>;

/** A running CRC: one uint32 (CRC-32, CRC-32C) or [low, high] (CRC-64). Start with [] (the CRC of no bytes). */
export type CrcState = readonly number[];

export function isCrc(algorithm: ChecksumAlgorithm): algorithm is CrcAlgorithm {
  return algorithm !== 'sha-256';
}

/** The finished CRC as big-endian bytes, as S3's x-amz-checksum-* and tus's Upload-Checksum carry it. */
export function crcBytes(algorithm: CrcAlgorithm, state: CrcState): Uint8Array {
  const words = algorithm === 'crc64nvme' ? [state[1] ?? 0, state[0] ?? 0] : [state[0] ?? 0];
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((word, i) => view.setUint32(i * 4, word));
  return bytes;
}
