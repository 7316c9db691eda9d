import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import path from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startSwift, swiftInstalled, type SwiftS3 } from '../../demo/server/swift/startSwift.js';
import type { SourceFile } from './generateFiles.js';

export const BUCKET = 'bench';
/** Where the page finds the signing backends: lean-upload's JSON API and @uppy/aws-s3's signRequest. */
export const LEAN_S3_ROUTE = '/s3';
export const UPPY_SIGN_ROUTE = '/s3-sign';

/** What the bench server mounts for an S3 signing route. */
export type Handle = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Builds lean-upload's JSON API (see s3JsonBackend): `client` reaches the engine directly (the app
 * server's own calls, which never cross the user's link), `signer` presigns for the origin the page reaches.
 */
export type LeanRoutesFactory = (client: S3Client, bucket: string, route: string, signer: S3Client) => Handle;

export interface S3Side {
  /** Why lean-upload's S3 contender cannot run (its signing routes are missing); the Uppy one still can. */
  leanSkipped: string | undefined;
  /** The engine's port, for the shaped link to forward. */
  enginePort: number;
  /** Route prefix to handler, for the bench server. */
  routes(): { route: string; handle: Handle }[];
  /** Presigned URLs name the origin the browser will reach: the engine, or the link's forward of it. */
  usePublicOrigin(origin: string): void;
  /** Signing calls so far: a sign of life for the stall watchdog (the PUTs bypass the bench server). */
  activity(): number;
  /** Hashes each stored object (by key or by its URL) against its source; returns the problems. */
  verify(sources: readonly SourceFile[], keysOrUrls: readonly string[]): Promise<string[]>;
  /** Deletes every object and aborts every unfinished multipart upload of the bucket. */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The S3 half of the bench: OpenStack Swift (s3api) started for the run, one bucket, and the
 * signing backends of both S3 contenders, both signing with the AWS SDK and the same credentials.
 * Resolves to a reason string when S3 cannot run here, so the bench prints 'skipped: <reason>'.
 */
export async function startS3Side(root: string, leanRoutes: LeanRoutesFactory | string): Promise<S3Side | string> {
  if (!swiftInstalled()) return 'OpenStack Swift is not installed (see demo/server/swift/startSwift.ts)';
  let swift: SwiftS3;
  try {
    swift = await startSwift({ directory: path.join(root, '.uploads/bench-swift') });
  } catch (error) {
    return `Swift did not start: ${error instanceof Error ? error.message : String(error)}`;
  }
  const clientFor = (endpoint: string): S3Client =>
    new S3Client({
      endpoint,
      region: swift.region,
      credentials: swift.credentials,
      forcePathStyle: true,
      // Swift accepts but ignores x-amz-checksum-*; an SDK default checksum would only cost CPU.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  const direct = clientFor(swift.endpoint);
  await direct.send(new CreateBucketCommand({ Bucket: BUCKET }));
  let signer = direct;
  let calls = 0;
  const counted = (handle: Handle): Handle => (req, res) => {
    calls += 1;
    handle(req, res);
  };
  return {
    leanSkipped: typeof leanRoutes === 'string' ? leanRoutes : undefined,
    enginePort: Number(new URL(swift.endpoint).port),
    routes: () => [
      ...(typeof leanRoutes === 'string' ? [] : [{ route: LEAN_S3_ROUTE, handle: counted(leanRoutes(direct, BUCKET, LEAN_S3_ROUTE, signer)) }]),
      { route: UPPY_SIGN_ROUTE, handle: counted((req, res) => void signForUppy(signer, req, res)) },
    ],
    usePublicOrigin: (origin) => (signer = origin === swift.endpoint ? direct : clientFor(origin)),
    activity: () => calls,
    verify: (sources, keys) => verifyObjects(direct, sources, keys),
    clear: () => clearBucket(direct),
    close: async () => {
      direct.destroy();
      await swift.stop();
    },
  };
}

/** @uppy/aws-s3's signRequest: one PresignableRequest in, { url } out, signed by the AWS SDK. */
async function signForUppy(client: S3Client, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const request = JSON.parse(await readBody(req)) as Record<string, unknown>;
    const key = String(request.key ?? '');
    const uploadId = typeof request.uploadId === 'string' ? request.uploadId : undefined;
    const url = await presignFor(client, String(request.method), { Bucket: BUCKET, Key: key }, uploadId, Number(request.partNumber));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url }));
  } catch (error) {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
  }
}

/** The S3 call @uppy/aws-s3 names by method and the presence of an upload id, presigned for 15 minutes. */
function presignFor(client: S3Client, method: string, base: { Bucket: string; Key: string }, uploadId: string | undefined, partNumber: number): Promise<string> {
  const options = { expiresIn: 900 };
  if (uploadId === undefined) {
    if (method === 'PUT') return getSignedUrl(client, new PutObjectCommand(base), options);
    if (method === 'POST') return getSignedUrl(client, new CreateMultipartUploadCommand(base), options);
    return getSignedUrl(client, new DeleteObjectCommand(base), options);
  }
  const upload = { ...base, UploadId: uploadId };
  if (method === 'PUT') return getSignedUrl(client, new UploadPartCommand({ ...upload, PartNumber: partNumber }), options);
  if (method === 'POST') return getSignedUrl(client, new CompleteMultipartUploadCommand(upload), options);
  if (method === 'GET') return getSignedUrl(client, new ListPartsCommand(upload), options);
  return getSignedUrl(client, new AbortMultipartUploadCommand(upload), options);
}

async function verifyObjects(client: S3Client, sources: readonly SourceFile[], keysOrUrls: readonly string[]): Promise<string[]> {
  if (keysOrUrls.length !== sources.length) return [`${keysOrUrls.length} object keys for ${sources.length} files`];
  const problems: string[] = [];
  for (const [index, source] of sources.entries()) {
    const key = objectKey(keysOrUrls[index] ?? '');
    const stored = await sha256Of(client, key).catch((error: unknown) => `unreadable (${String(error)})`);
    if (stored !== source.sha256) problems.push(`${path.basename(source.path)} → ${key}: stored ${stored}, source ${source.sha256}`);
  }
  return problems;
}

/** A key as the page reported it (bare or `s3:<key>`), or the key inside a path-style object URL (…/bench/<key>). */
export function objectKey(keyOrUrl: string): string {
  if (keyOrUrl.startsWith('s3:')) return keyOrUrl.slice('s3:'.length);
  if (!/^https?:\/\//.test(keyOrUrl)) return keyOrUrl;
  const pathname = new URL(keyOrUrl).pathname;
  const prefix = `/${BUCKET}/`;
  const rest = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : pathname.replace(/^\/+/, '');
  return rest.split('/').map(decodeURIComponent).join('/');
}

async function sha256Of(client: S3Client, key: string): Promise<string> {
  const answer = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const hash = createHash('sha256');
  for await (const chunk of answer.Body as Readable) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function clearBucket(client: S3Client): Promise<void> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  for (const object of listed.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: object.Key }));
  const open = await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
  for (const upload of open.Uploads ?? []) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: upload.Key, UploadId: upload.UploadId }));
  }
  if (listed.IsTruncated) await clearBucket(client);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
