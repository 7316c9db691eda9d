import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BucketAlreadyOwnedByYou, CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createS3Handler, type S3Handler } from '../../src/server/index.js';
import { startSwift, type SwiftS3 } from './swift/startSwift.js';

export interface S3BackendOptions {
  /** A running Swift to use (not stopped by close); without it, one is started in `directory`. */
  swift?: SwiftS3;
  /** Where a Swift of the backend's own keeps its data (a temporary folder inside, removed on close). */
  directory?: string;
  /** Route prefix of the JSON API. Default '/s3'. */
  route?: string;
  bucket?: string;
  /** Lifetime of presigned URLs in seconds (default 900); a test of expiry makes it short. */
  expiresIn?: number;
}

export interface S3Backend {
  readonly route: string;
  readonly bucket: string;
  /** An S3 client on the same engine, for reading back what the page stored. */
  readonly client: S3Client;
  /** The engine, for other servers that store on it (tus through @tus/s3-store). */
  readonly swift: Pick<SwiftS3, 'endpoint' | 'region' | 'credentials'>;
  /** Handles a request under `route`; false when the URL is not one of the JSON API's. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  close(): Promise<void>;
}

/** UUID/name: the demo's keys. It has no users, so a key of this shape is anyone's to continue. */
const DEMO_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/[^/]+$/;

/**
 * The demo's S3 side: a real S3 engine (OpenStack Swift with s3api, which checks every signature) and,
 * in front of it, lean-upload/server's signing handler serving the JSON API that s3Multipart({ endpoint })
 * calls. Only this process holds the S3 credentials.
 */
export async function createS3Backend(options: S3BackendOptions): Promise<S3Backend> {
  const route = (options.route ?? '/s3').replace(/\/+$/, '');
  const bucket = options.bucket ?? 'uploads';
  const own = options.swift ? undefined : await startSwift(options.directory ? { directory: options.directory } : {});
  const swift = (options.swift ?? own)!;
  const s3 = { endpoint: swift.endpoint, region: swift.region, credentials: swift.credentials, forcePathStyle: true };
  const client = new S3Client({ ...s3, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  try {
    await ensureBucket(client, bucket);
  } catch (error) {
    client.destroy();
    await own?.stop();
    throw error;
  }
  const handler: S3Handler = createS3Handler({
    bucket,
    client,
    route,
    ...(options.expiresIn === undefined ? {} : { expiresIn: options.expiresIn }),
    // Swift 2.30's s3api refuses ChecksumXXX elements in CompleteMultipartUpload (MalformedXML).
    completeWithPartChecksums: false,
    // A real app checks who is asking (cookie, token) and puts the user in the key.
    authorize: ({ filename }) => ({ key: `${randomUUID()}/${safeName(filename)}` }),
    mayAccess: ({ key }) => DEMO_KEY.test(key),
  });
  return {
    route,
    bucket,
    client,
    swift: { endpoint: swift.endpoint, region: swift.region, credentials: swift.credentials },
    handle: (req, res) => handler.node(req, res),
    close: async () => {
      client.destroy();
      await own?.stop();
    },
  };
}

/** The file name as one key segment: no slash, no control character, not '.' or '..'; unicode kept. */
function safeName(filename: string): string {
  const name = filename.replace(/[\u0000-\u001f\u007f/\\]/g, '_').slice(-200);
  return name === '' || name === '.' || name === '..' ? 'file' : name;
}

/** Creates the bucket unless this account has it already (a shared engine, a second plugin). */
export async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!(error instanceof BucketAlreadyOwnedByYou)) throw error;
  }
}
