import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand,
  ListMultipartUploadsCommand, PutObjectCommand, S3Client, UploadPartCommand, type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startSwift, type SwiftS3 } from '../../demo/server/swift/startSwift.ts';

const MiB = 1024 * 1024;
let swift: SwiftS3;
let s3: S3Client;
const config = (s: SwiftS3): S3ClientConfig => ({
  endpoint: s.endpoint, region: s.region, credentials: s.credentials, forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
});

beforeAll(async () => {
  swift = await startSwift();
  s3 = new S3Client(config(swift));
  await s3.send(new CreateBucketCommand({ Bucket: 'launcher' }));
});
afterAll(async () => {
  s3?.destroy();
  await swift?.stop();
});

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

test('stores and reads back an object, unicode and !\'()* in the key, metadata kept', async () => {
  const key = "dir/é ü 名前 !'()*.txt";
  await s3.send(new PutObjectCommand({ Bucket: 'launcher', Key: key, Body: 'hello swift', Metadata: { note: 'kept' } }));
  const got = await s3.send(new GetObjectCommand({ Bucket: 'launcher', Key: key }));
  expect(await got.Body!.transformToString()).toBe('hello swift');
  expect(got.Metadata).toEqual({ note: 'kept' });
});

test('multipart: listed while open, then completed byte for byte', async () => {
  const first = new Uint8Array(5 * MiB).map((_, i) => i % 251);
  const last = new Uint8Array(1000).fill(7);
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'launcher', Key: 'big.bin' }));
  const parts = [];
  for (const [index, body] of [first, last].entries()) {
    const { ETag } = await s3.send(new UploadPartCommand({ Bucket: 'launcher', Key: 'big.bin', UploadId, PartNumber: index + 1, Body: body }));
    parts.push({ PartNumber: index + 1, ETag });
  }
  const open = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'launcher' }));
  expect(open.Uploads?.map((u) => u.UploadId)).toEqual([UploadId]);
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'launcher', Key: 'big.bin', UploadId, MultipartUpload: { Parts: parts } }));
  const stored = await (await s3.send(new GetObjectCommand({ Bucket: 'launcher', Key: 'big.bin' }))).Body!.transformToByteArray();
  expect(sha256(stored)).toBe(sha256(Buffer.concat([first, last])));
  expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'launcher' }))).Uploads ?? []).toEqual([]);
});

test('a part below 5 MiB but the last is refused at completion (s3api min_segment_size)', async () => {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'launcher', Key: 'small-parts' }));
  const parts = [];
  for (const PartNumber of [1, 2]) {
    const { ETag } = await s3.send(new UploadPartCommand({ Bucket: 'launcher', Key: 'small-parts', UploadId, PartNumber, Body: 'x'.repeat(100) }));
    parts.push({ PartNumber, ETag });
  }
  const completing = s3.send(new CompleteMultipartUploadCommand({ Bucket: 'launcher', Key: 'small-parts', UploadId, MultipartUpload: { Parts: parts } }));
  await expect(completing).rejects.toMatchObject({ name: 'EntityTooSmall' });
});

test('signatures are checked: a wrong secret gets 403 SignatureDoesNotMatch', async () => {
  const wrong = new S3Client({ ...config(swift), credentials: { ...swift.credentials, secretAccessKey: 'not-the-secret' } });
  await expect(wrong.send(new GetObjectCommand({ Bucket: 'launcher', Key: 'big.bin' }))).rejects.toMatchObject({
    name: 'SignatureDoesNotMatch',
    $metadata: { httpStatusCode: 403 },
  });
  wrong.destroy();
});

test('CORS from the config: preflight of a presigned PUT, ETag exposed, errors readable cross-origin', async () => {
  const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'launcher', Key: 'cors.txt' }), { expiresIn: 60 });
  const origin = 'http://page.test:5173';
  const preflight = await fetch(url, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' },
  });
  expect(preflight.status).toBe(200);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
  expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
  const put = await fetch(url, { method: 'PUT', body: 'cors', headers: { Origin: origin } });
  expect(put.status).toBe(200);
  expect(put.headers.get('access-control-allow-origin')).toBe(origin);
  expect(put.headers.get('access-control-expose-headers')?.split(/,\s*/)).toContain('etag');
  const tampered = await fetch(url.replace(/X-Amz-Signature=[0-9a-f]+/, `X-Amz-Signature=${'0'.repeat(64)}`), { method: 'PUT', body: 'x', headers: { Origin: origin } });
  expect(tampered.status).toBe(403);
  expect(tampered.headers.get('access-control-allow-origin')).toBe(origin);
  expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
});

test('two instances run side by side, and stop() ends the processes and removes the data', async () => {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'lean-upload-swift-test-'));
  const other = await startSwift({ directory: parent });
  expect(await readdir(parent)).toHaveLength(1);
  expect(other.endpoint).not.toBe(swift.endpoint);
  const client = new S3Client(config(other));
  await client.send(new CreateBucketCommand({ Bucket: 'launcher' }));
  await expect(client.send(new GetObjectCommand({ Bucket: 'launcher', Key: 'big.bin' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  client.destroy();
  await other.stop();
  await expect(fetch(`${other.endpoint}/healthcheck`)).rejects.toThrow();
  expect(await readdir(parent)).toEqual([]);
  await rm(parent, { recursive: true });
});
