import type { ResumeRecord } from '../../src/core/ports.js';
import type { FakeHttp, PendingRequest } from '../support/fakeHttp.js';

export const MiB = 1024 * 1024;
export const BACKEND = 'https://app.example/s3';
export const S3 = 'https://bucket.s3.example';
export const KEY = 'uploads/u-1/a.bin';
export const UPLOAD_ID = 'up-1';
export const Q = `?key=${encodeURIComponent(KEY)}`;

/** The JSON body of a request to the backend. */
export function jsonOf(request: PendingRequest): unknown {
  const body = request.body;
  if (!(body instanceof Uint8Array)) throw new Error(`expected a JSON body, got ${String(body)}`);
  return JSON.parse(new TextDecoder().decode(body));
}

export function json(request: PendingRequest, status: number, value: unknown): void {
  request.respond(status, { 'Content-Type': 'application/json' }, JSON.stringify(value));
}

/** Answer the POST that creates the upload. */
export async function answerCreate(http: FakeHttp, uploadId = UPLOAD_ID, key = KEY): Promise<PendingRequest> {
  const create = await http.next('POST', `${BACKEND}/multipart`);
  json(create, 200, { uploadId, key });
  return create;
}

/** Answer the signing of part `n` with a presigned URL; returns the PUT that follows, unanswered. */
export async function answerSign(http: FakeHttp, n: number, uploadId = UPLOAD_ID, key = KEY): Promise<void> {
  const sign = await http.next('GET', `${BACKEND}/multipart/${uploadId}/${n}?key=${encodeURIComponent(key)}`);
  json(sign, 200, { url: presigned(n, uploadId, key) });
}

export function presigned(n: number, uploadId = UPLOAD_ID, key = KEY): string {
  return `${S3}/${key}?partNumber=${n}&uploadId=${uploadId}&X-Amz-Signature=secret${n}`;
}

export function record(partSize = 5 * MiB): ResumeRecord {
  return { url: `s3:${KEY}`, state: { uploadId: UPLOAD_ID, key: KEY, partSize: String(partSize) }, createdAt: 1, expiresAt: 2e12 };
}

/**
 * CRC-32C (or another reflected CRC-32, by `poly`) one bit at a time, straight from the definition, as
 * base64 of its big-endian bytes (x-amz-checksum-crc32c): shares nothing with the code under test.
 */
export function crc32Reference(bytes: Uint8Array, poly = 0x82f63b78): string {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ poly : crc >>> 1;
  }
  const value = Buffer.alloc(4);
  value.writeUInt32BE(~crc >>> 0);
  return value.toString('base64');
}
