import type { HeaderRecord, HttpRequest, HttpStack } from '../../core/ports.js';
import { UploadError } from '../../core/UploadError.js';
import { mergeHeaders, sendRequest } from '../http/sendRequest.js';
import type { S3MultipartBackend, S3Part, S3SignedPart, S3Upload } from './s3Types.js';

/**
 * The backend calls as a small JSON API on the app's server (documented in the README):
 *   POST   {endpoint}/multipart                              → { uploadId, key }
 *   GET    {endpoint}/multipart/{uploadId}/{partNumber}?key= → { url, headers? }
 *   GET    {endpoint}/multipart/{uploadId}?key=              → { parts: [{ partNumber, size, etag, checksum? }] }, 404: no such upload
 *   POST   {endpoint}/multipart/{uploadId}/complete?key=     → { location? }
 *   DELETE {endpoint}/multipart/{uploadId}?key=              → 204
 *   POST   {endpoint}/object                                 → { url, headers?, key } (a presigned PutObject)
 * With checksums: the create body has `checksumAlgorithm` (CRC32C...; `checksumType` for CRC64NVME), the
 * part signing adds `&checksumAlgorithm=…&checksum=<base64>`, the object body `checksumAlgorithm` and
 * `checksum`, and complete's parts `checksum`; the signed `headers` must then carry x-amz-checksum-*.
 */
export function s3JsonBackend(endpoint: string, http: () => HttpStack): S3MultipartBackend {
  const base = endpoint.replace(/\/+$/, '');
  const at = (upload: S3Upload, suffix = ''): string =>
    `${base}/multipart/${encodeURIComponent(upload.uploadId)}${suffix}?key=${encodeURIComponent(upload.key)}`;
  const call = (method: string, url: string, signal: AbortSignal, headers: HeaderRecord, body?: unknown, accepted?: number) =>
    callJson(http(), { method, url, signal, headers }, body, accepted);
  return {
    async createMultipartUpload(file, signal, headers) {
      const { name, size, type, metadata, checksumAlgorithm, checksumType } = file;
      const declared = { ...(checksumAlgorithm ? { checksumAlgorithm } : {}), ...(checksumType ? { checksumType } : {}) };
      const answer = await call('POST', `${base}/multipart`, signal, headers, { filename: name, size, type, metadata, ...declared });
      return { uploadId: text(answer, 'uploadId'), key: text(answer, 'key') };
    },
    async signPart(part, signal, headers) {
      const { checksum } = part;
      const query = checksum ? `&checksumAlgorithm=${checksum.algorithm}&checksum=${encodeURIComponent(checksum.value)}` : '';
      return signed(await call('GET', at(part, `/${part.partNumber}`) + query, signal, headers));
    },
    async signPut(file, signal, headers) {
      const { name, size, type, metadata, key, checksum } = file;
      const extra = { ...(key === undefined ? {} : { key }), ...(checksum ? { checksumAlgorithm: checksum.algorithm, checksum: checksum.value } : {}) };
      const answer = await call('POST', `${base}/object`, signal, headers, { filename: name, size, type, metadata, ...extra });
      return { ...signed(answer), key: text(answer, 'key') };
    },
    async listParts(upload, signal, headers) {
      const answer = await call('GET', at(upload), signal, headers, undefined, 404);
      if (answer === GONE) return null;
      const parts = field(answer, 'parts');
      if (!Array.isArray(parts)) throw new UploadError('protocol', 'S3 backend: listParts answered without a parts array');
      return parts.map(toPart);
    },
    async completeMultipartUpload({ parts, ...upload }, signal, headers) {
      const answer = await call('POST', at(upload, '/complete'), signal, headers, { parts });
      const location = field(answer, 'location');
      const etag = field(answer, 'etag');
      return { ...(typeof location === 'string' && { location }), ...(typeof etag === 'string' && { etag }) };
    },
    async abortMultipartUpload(upload, signal, headers) {
      // Already gone is what an abort wants.
      await call('DELETE', at(upload), signal, headers, undefined, 404);
    },
  };
}

const GONE = Symbol('gone');

async function callJson(http: HttpStack, base: HttpRequest, body: unknown, accepted?: number): Promise<unknown> {
  const own: HeaderRecord = { Accept: 'application/json' };
  const request: HttpRequest = { ...base, headers: mergeHeaders(base.headers, own) };
  if (body !== undefined) {
    request.headers = mergeHeaders(request.headers, { 'Content-Type': 'application/json' });
    request.body = new TextEncoder().encode(JSON.stringify(body));
  }
  const response = await sendRequest(http, request);
  if (response.status === accepted) return GONE;
  if (response.status < 200 || response.status > 299) {
    throw UploadError.fromResponse('http-status', 'S3 backend: request failed', request, response);
  }
  if (response.status === 204 || response.body === '') return {};
  try {
    return JSON.parse(response.body) as unknown;
  } catch (cause) {
    throw new UploadError('protocol', 'S3 backend: the answer is not JSON', { cause, request: { method: base.method, url: base.url } });
  }
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function text(value: unknown, name: string): string {
  const found = field(value, name);
  if (typeof found !== 'string' || found === '') throw new UploadError('protocol', `S3 backend: the answer has no ${name}`);
  return found;
}

function signed(answer: unknown): S3SignedPart {
  const signedHeaders = field(answer, 'headers');
  return isStringRecord(signedHeaders) ? { url: text(answer, 'url'), headers: signedHeaders } : { url: text(answer, 'url') };
}

function toPart(value: unknown): S3Part {
  const partNumber = field(value, 'partNumber');
  const size = field(value, 'size');
  if (typeof partNumber !== 'number' || typeof size !== 'number') throw new UploadError('protocol', 'S3 backend: a listed part has no partNumber or size');
  const checksum = field(value, 'checksum');
  const part = { partNumber, size, etag: text(value, 'etag') };
  return typeof checksum === 'string' && checksum !== '' ? { ...part, checksum } : part;
}

function isStringRecord(value: unknown): value is HeaderRecord {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}
