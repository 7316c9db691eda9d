import { toBase64 } from '../../core/base64.js';
import type { ChecksumAlgorithm, OpenRequest, PartRequest } from '../../core/ports.js';
import type { S3Checksum, S3ChecksumAlgorithm, S3ChecksumDeclaration } from './s3Types.js';

const S3_NAMES: Record<ChecksumAlgorithm, S3ChecksumAlgorithm> = {
  'sha-256': 'SHA256',
  crc32: 'CRC32',
  crc32c: 'CRC32C',
  crc64nvme: 'CRC64NVME',
};

/** The algorithm an upload is checksummed with: the uploader's, when it names one; else the protocol's. */
export function uploadAlgorithm(request: OpenRequest, preferred: ChecksumAlgorithm | false): ChecksumAlgorithm | null {
  const wanted = request.checksum ?? 'auto';
  if (wanted === false) return null;
  return wanted === 'auto' ? preferred || null : wanted;
}

/** What CreateMultipartUpload declares for `algorithm` (S3 takes CRC64NVME only as a full-object checksum). */
export function declaration(algorithm: ChecksumAlgorithm | null): S3ChecksumDeclaration {
  if (algorithm === null) return {};
  const checksumAlgorithm = S3_NAMES[algorithm];
  return algorithm === 'crc64nvme' ? { checksumAlgorithm, checksumType: 'FULL_OBJECT' } : { checksumAlgorithm };
}

/** The part's checksum in S3's terms, when it was hashed with `algorithm` (any, when null is not given). */
export function partChecksum(part: PartRequest, algorithm?: ChecksumAlgorithm | null): S3Checksum | undefined {
  const checksum = part.checksum;
  if (!checksum || (algorithm !== undefined && checksum.algorithm !== algorithm)) return undefined;
  return { algorithm: S3_NAMES[checksum.algorithm], value: toBase64(checksum.value) };
}

/** The algorithm a resume record names (S3's name), or null. */
export function fromS3Name(name: string | undefined): ChecksumAlgorithm | null {
  const found = Object.entries(S3_NAMES).find(([, s3]) => s3 === name);
  return found ? (found[0] as ChecksumAlgorithm) : null;
}

/** S3's error code and message from its XML error body (`<Error><Code>BadDigest</Code>...`), if any. */
export function s3Error(body: string): { code: string; message: string } | null {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  if (!code) return null;
  return { code, message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? '' };
}

/**
 * S3 refused the bytes because they do not match the signed checksum (BadDigest), or refused the
 * checksum itself (InvalidRequest/InvalidDigest naming a checksum: malformed, or not the upload's algorithm).
 */
export function isChecksumRefusal(status: number, error: { code: string; message: string } | null): boolean {
  if (status !== 400 || !error) return false;
  if (error.code === 'BadDigest') return true;
  return (error.code === 'InvalidRequest' || error.code === 'InvalidDigest') && /checksum|crc|sha256/i.test(error.message);
}
