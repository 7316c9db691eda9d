import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, ListPartsCommand,
  PutObjectCommand, UploadPartCommand, type CompletedPart, type Part, type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { S3HandlerError, fromS3Error } from './S3HandlerError.js';
import { CHECKSUM_ALGORITHMS, checksumField, checksumHeader, requireChecksum, type ChecksumAlgorithm } from './shapes.js';

/** What every operation needs: the client, the bucket, how long a presigned URL lives, a ListParts page. */
export interface S3Target {
  client: S3Client;
  /** Presigns the page's URLs (their host is this client's endpoint). */
  signer: S3Client;
  bucket: string;
  expiresIn: number;
  listPartsPageSize: number;
  completeWithPartChecksums: boolean;
}

export interface SignedRequest {
  url: string;
  /** Exactly the headers the signature covers besides host: the page must send them as they are. */
  headers?: Record<string, string>;
}

export interface ListedPart {
  partNumber: number;
  size: number;
  etag: string;
  checksum?: string;
}

/** The name goes in S3 metadata percent-encoded: metadata travels as HTTP headers, which are ASCII. */
export const FILENAME_METADATA = 'filename';
export const encodeMetadata = (metadata: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(metadata).map(([name, value]) => [name.toLowerCase(), encodeURIComponent(value)]));

async function run<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fromS3Error(operation, error);
  }
}

/**
 * Presigns with the given headers kept as headers: the presigner would otherwise hoist every x-amz-*
 * header into the query, where a checksum would no longer be a header the page sends (and some engines
 * ignore metadata there). The answer lists exactly the signed headers, read back from the URL.
 */
type PresignOptions = NonNullable<Parameters<typeof getSignedUrl>[2]>;

async function presign(target: S3Target, sign: (options: PresignOptions) => Promise<string>, headers: Record<string, string>): Promise<SignedRequest> {
  const url = await sign({
    expiresIn: target.expiresIn,
    unhoistableHeaders: new Set(Object.keys(headers)),
    signableHeaders: new Set(Object.keys(headers)),
  });
  const signed = (new URL(url).searchParams.get('X-Amz-SignedHeaders') ?? '').split(';').filter((name) => name !== 'host');
  const missing = Object.keys(headers).filter((name) => !signed.includes(name));
  const unknown = signed.filter((name) => !Object.hasOwn(headers, name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new S3HandlerError(500, 'SigningMismatch', `The presigned URL signs [${signed.join(', ')}], not the expected [${Object.keys(headers).join(', ')}]`);
  }
  return signed.length === 0 ? { url } : { url, headers };
}

export function createUpload(
  target: S3Target,
  input: { key: string; type: string; metadata: Record<string, string>; checksumAlgorithm?: ChecksumAlgorithm; checksumType?: 'COMPOSITE' | 'FULL_OBJECT' },
): Promise<string> {
  return run('CreateMultipartUpload', async () => {
    const created = await target.client.send(
      new CreateMultipartUploadCommand({
        Bucket: target.bucket,
        Key: input.key,
        Metadata: encodeMetadata(input.metadata),
        ...(input.type ? { ContentType: input.type } : {}),
        ...(input.checksumAlgorithm ? { ChecksumAlgorithm: input.checksumAlgorithm } : {}),
        ...(input.checksumType ? { ChecksumType: input.checksumType } : {}),
      }),
    );
    if (!created.UploadId) throw new S3HandlerError(502, 'NoUploadId', 'S3 CreateMultipartUpload answered without an UploadId');
    return created.UploadId;
  });
}

export function signPart(
  target: S3Target,
  input: { key: string; uploadId: string; partNumber: number; checksum?: { algorithm: ChecksumAlgorithm; checksum: string } },
): Promise<SignedRequest> {
  const { checksum } = input;
  const command = new UploadPartCommand({
    Bucket: target.bucket,
    Key: input.key,
    UploadId: input.uploadId,
    PartNumber: input.partNumber,
    ...(checksum ? { ChecksumAlgorithm: checksum.algorithm, [checksumField(checksum.algorithm)]: checksum.checksum } : {}),
  });
  return run('UploadPart signing', () => presign(target, (o) => getSignedUrl(target.signer, command, o), checksum ? { [checksumHeader(checksum.algorithm)]: checksum.checksum } : {}));
}

export function signPut(
  target: S3Target,
  input: { key: string; metadata: Record<string, string>; checksum?: { algorithm: ChecksumAlgorithm; checksum: string } },
): Promise<SignedRequest> {
  const { checksum } = input;
  const metadata = encodeMetadata(input.metadata);
  const command = new PutObjectCommand({
    Bucket: target.bucket,
    Key: input.key,
    Metadata: metadata,
    ...(checksum ? { ChecksumAlgorithm: checksum.algorithm, [checksumField(checksum.algorithm)]: checksum.checksum } : {}),
  });
  const headers: Record<string, string> = Object.fromEntries(Object.entries(metadata).map(([name, value]) => [`x-amz-meta-${name}`, value]));
  if (checksum) headers[checksumHeader(checksum.algorithm)] = checksum.checksum;
  return run('PutObject signing', () => presign(target, (o) => getSignedUrl(target.signer, command, o), headers));
}

/** Every part S3 holds, page after page (S3 answers at most 1,000 per page); null for NoSuchUpload. */
export async function listParts(target: S3Target, input: { key: string; uploadId: string }): Promise<ListedPart[] | null> {
  const parts: ListedPart[] = [];
  let marker: string | undefined;
  for (let page = 0; page < 10_001; page++) {
    let answer;
    try {
      answer = await target.client.send(
        new ListPartsCommand({ Bucket: target.bucket, Key: input.key, UploadId: input.uploadId, MaxParts: target.listPartsPageSize, PartNumberMarker: marker }),
      );
    } catch (error) {
      const mapped = fromS3Error('ListParts', error);
      if (mapped.code === 'NoSuchUpload') return null;
      throw mapped;
    }
    parts.push(...(answer.Parts ?? []).map(listedPart));
    if (!answer.IsTruncated) return parts;
    // A truncated page without a new marker would loop forever: S3 contract broken, say so.
    if (!answer.NextPartNumberMarker || answer.NextPartNumberMarker === marker) {
      throw new S3HandlerError(502, 'BadListParts', 'S3 ListParts answered a truncated page without a next marker');
    }
    marker = answer.NextPartNumberMarker;
  }
  throw new S3HandlerError(502, 'BadListParts', 'S3 ListParts did not end');
}

function listedPart(part: Part): ListedPart {
  const checksum = part.ChecksumCRC64NVME ?? part.ChecksumCRC32C ?? part.ChecksumCRC32 ?? part.ChecksumSHA256;
  return {
    partNumber: part.PartNumber ?? 0,
    size: part.Size ?? 0,
    etag: part.ETag ?? '',
    ...(checksum ? { checksum } : {}),
  };
}

/**
 * Completes, and treats any answer but a clean one as failure. S3 may answer 200 with an <Error> body
 * (it failed after the headers went out); the SDK turns that into an exception for this command, and
 * an answer with neither ETag nor Location is refused here as well rather than reported as stored.
 */
export function completeUpload(
  target: S3Target,
  input: { key: string; uploadId: string; parts: { partNumber: number; etag: string; checksum?: string }[]; checksumAlgorithm?: ChecksumAlgorithm },
): Promise<{ location?: string; etag?: string }> {
  return run('CompleteMultipartUpload', async () => {
    const withChecksums = target.completeWithPartChecksums && input.parts.some((part) => part.checksum !== undefined);
    const algorithm = withChecksums ? (input.checksumAlgorithm ?? (await partChecksumAlgorithm(target, input))) : undefined;
    const parts: CompletedPart[] = input.parts.map((part) => ({
      PartNumber: part.partNumber,
      ETag: part.etag,
      ...(algorithm && part.checksum !== undefined ? { [checksumField(algorithm)]: requireChecksum(algorithm, part.checksum) } : {}),
    }));
    const done = await target.client.send(
      new CompleteMultipartUploadCommand({ Bucket: target.bucket, Key: input.key, UploadId: input.uploadId, MultipartUpload: { Parts: parts } }),
    );
    if (!done.ETag && !done.Location) throw new S3HandlerError(502, 'IncompleteAnswer', 'S3 CompleteMultipartUpload answered without ETag or Location');
    return { ...(done.Location && { location: done.Location }), ...(done.ETag && { etag: done.ETag }) };
  });
}

/**
 * The algorithm of the parts' checksums when the page did not name it: the digest's length where only
 * one algorithm has it (SHA256, CRC64NVME), else the one S3 records for the upload (ListParts).
 */
async function partChecksumAlgorithm(target: S3Target, input: { key: string; uploadId: string; parts: { checksum?: string }[] }): Promise<ChecksumAlgorithm> {
  const length = input.parts.find((part) => part.checksum !== undefined)?.checksum?.length;
  const fits = Object.entries(CHECKSUM_ALGORITHMS).filter(([, size]) => size === length).map(([name]) => name as ChecksumAlgorithm);
  if (fits.length === 1) return fits[0]!;
  const listed = await target.client.send(new ListPartsCommand({ Bucket: target.bucket, Key: input.key, UploadId: input.uploadId, MaxParts: 1 }));
  const recorded = listed.ChecksumAlgorithm as ChecksumAlgorithm | undefined;
  if (recorded && fits.includes(recorded)) return recorded;
  throw new S3HandlerError(400, 'BadChecksumAlgorithm', 'The parts carry checksums but neither the request (checksumAlgorithm) nor S3 names their algorithm');
}

/** true when aborted, false when S3 no longer knew the upload. */
export async function abortUpload(target: S3Target, input: { key: string; uploadId: string }): Promise<boolean> {
  try {
    await target.client.send(new AbortMultipartUploadCommand({ Bucket: target.bucket, Key: input.key, UploadId: input.uploadId }));
    return true;
  } catch (error) {
    const mapped = fromS3Error('AbortMultipartUpload', error);
    if (mapped.code === 'NoSuchUpload') return false;
    throw mapped;
  }
}
