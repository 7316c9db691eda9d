import { S3HandlerError } from './S3HandlerError.js';

/**
 * Shape checks for what a page sends. They assume no engine's format: AWS, Swift, MinIO and Ceph upload
 * ids differ in length and alphabet, so an id is any printable ASCII without spaces, within S3's limits.
 */
const MAX_KEY_BYTES = 1024;
const MAX_UPLOAD_ID = 1024;
const MAX_PARTS = 10_000;

/** An object key: 1..1024 UTF-8 bytes, no control characters, no empty, '.' or '..' path segment. */
export function isKeyShape(key: unknown): key is string {
  if (typeof key !== 'string' || key === '' || new TextEncoder().encode(key).length > MAX_KEY_BYTES) return false;
  if (/[\u0000-\u001f\u007f]/.test(key)) return false;
  return key.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export function isUploadIdShape(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_UPLOAD_ID && /^[\x21-\x7e]+$/.test(id);
}

export function partNumberOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^[1-9]\d{0,4}$/.test(text)) return undefined;
  const number = Number(text);
  return number <= MAX_PARTS ? number : undefined;
}

export function requireKey(key: unknown): string {
  if (!isKeyShape(key)) throw new S3HandlerError(400, 'BadKey', 'The key is missing or not a valid object key');
  return key;
}

export function requireUploadId(id: unknown): string {
  if (!isUploadIdShape(id)) throw new S3HandlerError(400, 'BadUploadId', 'The upload id is missing or malformed');
  return id;
}

/** S3's additional checksums, with the base64 length of each digest. */
export const CHECKSUM_ALGORITHMS = { CRC32: 8, CRC32C: 8, CRC64NVME: 12, SHA256: 44 } as const;
export type ChecksumAlgorithm = keyof typeof CHECKSUM_ALGORITHMS;
export type ChecksumField = 'ChecksumCRC32' | 'ChecksumCRC32C' | 'ChecksumCRC64NVME' | 'ChecksumSHA256';

export function checksumAlgorithmOf(value: unknown): ChecksumAlgorithm | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && Object.hasOwn(CHECKSUM_ALGORITHMS, value)) return value as ChecksumAlgorithm;
  throw new S3HandlerError(400, 'BadChecksumAlgorithm', `checksumAlgorithm must be one of ${Object.keys(CHECKSUM_ALGORITHMS).join(', ')}`);
}

/** A base64 digest of the algorithm's length. */
export function requireChecksum(algorithm: ChecksumAlgorithm, value: unknown): string {
  const length = CHECKSUM_ALGORITHMS[algorithm];
  if (typeof value !== 'string' || value.length !== length || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
    throw new S3HandlerError(400, 'BadChecksum', `checksum must be the base64 ${algorithm} digest (${length} characters)`);
  }
  return value;
}

export const checksumField = (algorithm: ChecksumAlgorithm): ChecksumField => `Checksum${algorithm}`;
export const checksumHeader = (algorithm: ChecksumAlgorithm): string => `x-amz-checksum-${algorithm.toLowerCase()}`;

/** Both or neither: a part is signed with its checksum, which the page computed before asking. */
export function checksumPair(algorithmValue: unknown, checksumValue: unknown): { algorithm: ChecksumAlgorithm; checksum: string } | undefined {
  const algorithm = checksumAlgorithmOf(algorithmValue);
  if (algorithm === undefined) {
    if (checksumValue !== undefined && checksumValue !== null && checksumValue !== '') {
      throw new S3HandlerError(400, 'BadChecksum', 'checksum needs checksumAlgorithm');
    }
    return undefined;
  }
  return { algorithm, checksum: requireChecksum(algorithm, checksumValue) };
}

export function stringRecord(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new S3HandlerError(400, 'BadMetadata', 'metadata must be an object of strings');
  }
  return { ...(value as Record<string, string>) };
}
