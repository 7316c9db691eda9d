import type { HandlerAnswer, S3HandlerRequest } from './adapters.js';
import type { S3Action, S3HandlerOptions } from './s3HandlerOptions.js';
import { S3HandlerError } from './S3HandlerError.js';
import { abortUpload, completeUpload, createUpload, FILENAME_METADATA, listParts, signPart, signPut, type S3Target } from './s3Operations.js';
import {
  checksumAlgorithmOf, checksumPair, partNumberOf, requireKey, requireUploadId, stringRecord, type ChecksumAlgorithm,
} from './shapes.js';

export type { S3Action };

interface Call {
  target: S3Target;
  options: S3HandlerOptions;
  request: S3HandlerRequest;
  /** The path after the route prefix: /object, /multipart or /multipart/{uploadId}[/{part|complete}]. */
  rest: string;
  readJson(): Promise<unknown>;
}

const ok = (body: unknown): HandlerAnswer => ({ status: 200, body });
const notAllowed = (): never => {
  throw new S3HandlerError(403, 'NotAllowed', 'This upload is not allowed');
};

/** The README's JSON API, one branch per route. */
export async function routeS3Request(call: Call): Promise<HandlerAnswer> {
  const { method } = call.request;
  if (call.rest === '/object') return method === 'POST' ? signObject(call) : wrongMethod('POST');
  if (call.rest === '/multipart') return method === 'POST' ? create(call) : wrongMethod('POST');
  const [rawId = '', second, third] = call.rest.slice('/multipart/'.length).split('/');
  if (third !== undefined) throw new S3HandlerError(404, 'NoSuchRoute', 'No such route');
  const uploadId = requireUploadId(decodeSegment(rawId));
  const key = requireKey(call.request.url.searchParams.get('key'));
  if (second === undefined) {
    if (method === 'GET') return list(call, key, uploadId);
    if (method === 'DELETE') return abort(call, key, uploadId);
    return wrongMethod('GET, DELETE');
  }
  if (second === 'complete') return method === 'POST' ? complete(call, key, uploadId) : wrongMethod('POST');
  const partNumber = partNumberOf(second);
  if (partNumber === undefined) throw new S3HandlerError(400, 'BadPartNumber', 'A part number is 1 to 10000');
  return method === 'GET' ? part(call, key, uploadId, partNumber) : wrongMethod('GET');
}

function wrongMethod(allowed: string): never {
  throw new S3HandlerError(405, 'MethodNotAllowed', `Allowed: ${allowed}`);
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

async function check(call: Call, action: S3Action, key: string, uploadId?: string): Promise<void> {
  const allowed = await call.options.mayAccess({ request: call.request, action, key, ...(uploadId === undefined ? {} : { uploadId }) });
  if (allowed !== true) notAllowed();
}

/** Reads the file description and asks the app for a key. */
async function authorize(call: Call, body: Record<string, unknown>, kind: 'multipart' | 'object'): Promise<{ key: string; metadata: Record<string, string> }> {
  const filename = typeof body.filename === 'string' ? body.filename : '';
  const size = typeof body.size === 'number' && Number.isSafeInteger(body.size) && body.size >= 0 ? body.size : -1;
  if (filename === '' || size < 0) throw new S3HandlerError(400, 'BadFile', 'filename (a string) and size (a whole number) are required');
  const type = typeof body.type === 'string' ? body.type : '';
  const metadata = stringRecord(body.metadata);
  const decided = await call.options.authorize({ request: call.request, filename, size, type, metadata, kind });
  if (decided === false) notAllowed();
  const { key, metadata: extra } = decided as Exclude<typeof decided, false>;
  if (!isKey(key)) throw new S3HandlerError(500, 'BadKeyFromApp', 'authorize returned a key that is not a valid object key');
  return { key, metadata: { ...stringRecord(extra), [FILENAME_METADATA]: filename } };
}

function isKey(key: unknown): key is string {
  try {
    requireKey(key);
    return true;
  } catch {
    return false;
  }
}

async function objectBody(call: Call): Promise<Record<string, unknown>> {
  const body = await call.readJson();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new S3HandlerError(400, 'BadJson', 'The request body must be a JSON object');
  return body as Record<string, unknown>;
}

async function create(call: Call): Promise<HandlerAnswer> {
  const body = await objectBody(call);
  const checksumAlgorithm = checksumAlgorithmOf(body.checksumAlgorithm);
  const checksumType = body.checksumType;
  if (checksumType !== undefined && checksumType !== 'COMPOSITE' && checksumType !== 'FULL_OBJECT') {
    throw new S3HandlerError(400, 'BadChecksumType', "checksumType must be 'COMPOSITE' or 'FULL_OBJECT'");
  }
  if (checksumType !== undefined && checksumAlgorithm === undefined) throw new S3HandlerError(400, 'BadChecksumType', 'checksumType needs checksumAlgorithm');
  const { key, metadata } = await authorize(call, body, 'multipart');
  const type = typeof body.type === 'string' ? body.type : '';
  const uploadId = await createUpload(call.target, {
    key, type, metadata,
    ...(checksumAlgorithm ? { checksumAlgorithm } : {}),
    ...(checksumType ? { checksumType } : {}),
  });
  return ok({ uploadId, key });
}

async function part(call: Call, key: string, uploadId: string, partNumber: number): Promise<HandlerAnswer> {
  const query = call.request.url.searchParams;
  const checksum = checksumPair(query.get('checksumAlgorithm') ?? undefined, query.get('checksum') ?? undefined);
  await check(call, 'signPart', key, uploadId);
  return ok(await signPart(call.target, { key, uploadId, partNumber, ...(checksum ? { checksum } : {}) }));
}

async function list(call: Call, key: string, uploadId: string): Promise<HandlerAnswer> {
  await check(call, 'listParts', key, uploadId);
  const parts = await listParts(call.target, { key, uploadId });
  if (parts === null) throw new S3HandlerError(404, 'NoSuchUpload', 'S3 no longer knows this upload');
  return ok({ parts });
}

async function complete(call: Call, key: string, uploadId: string): Promise<HandlerAnswer> {
  const body = await objectBody(call);
  await check(call, 'complete', key, uploadId);
  const { parts, checksumAlgorithm } = completedParts(body);
  return ok(await completeUpload(call.target, { key, uploadId, parts, ...(checksumAlgorithm ? { checksumAlgorithm } : {}) }));
}

/** Parts in ascending order, each once; checksums (when sent) checked as base64 here, by length later. */
function completedParts(body: Record<string, unknown>): { parts: { partNumber: number; etag: string; checksum?: string }[]; checksumAlgorithm?: ChecksumAlgorithm } {
  const list = body.parts;
  if (!Array.isArray(list) || list.length === 0 || list.length > 10_000) throw new S3HandlerError(400, 'BadParts', 'parts must be 1 to 10000 { partNumber, etag }');
  const checksumAlgorithm = checksumAlgorithmOf(body.checksumAlgorithm);
  let previous = 0;
  const parts = list.map((value: unknown) => {
    const { partNumber, etag, checksum } = (value ?? {}) as { partNumber?: unknown; etag?: unknown; checksum?: unknown };
    if (typeof partNumber !== 'number' || !Number.isInteger(partNumber) || partNumber <= previous || partNumber > 10_000) {
      throw new S3HandlerError(400, 'BadParts', 'part numbers must be whole, ascending, 1 to 10000');
    }
    if (typeof etag !== 'string' || etag === '' || etag.length > 256 || !/^[\x20-\x7e]+$/.test(etag)) throw new S3HandlerError(400, 'BadParts', 'each part needs its etag');
    previous = partNumber;
    if (checksum === undefined) return { partNumber, etag };
    if (typeof checksum !== 'string' || checksum.length > 44 || !/^[A-Za-z0-9+/]+={0,2}$/.test(checksum)) {
      throw new S3HandlerError(400, 'BadChecksum', 'a part checksum is a base64 digest');
    }
    return { partNumber, etag, checksum };
  });
  return checksumAlgorithm ? { parts, checksumAlgorithm } : { parts };
}

async function abort(call: Call, key: string, uploadId: string): Promise<HandlerAnswer> {
  await check(call, 'abort', key, uploadId);
  const aborted = await abortUpload(call.target, { key, uploadId });
  if (!aborted) throw new S3HandlerError(404, 'NoSuchUpload', 'S3 no longer knows this upload');
  return { status: 204, body: null };
}

/** POST /object: a new key from authorize, or, on a retry, the key the page names (checked by mayAccess). */
async function signObject(call: Call): Promise<HandlerAnswer> {
  const body = await objectBody(call);
  const checksum = checksumPair(body.checksumAlgorithm, body.checksum);
  let key: string;
  let metadata: Record<string, string>;
  if (body.key !== undefined) {
    key = requireKey(body.key);
    await check(call, 'signPut', key);
    const filename = typeof body.filename === 'string' ? body.filename : '';
    metadata = filename ? { [FILENAME_METADATA]: filename } : {};
  } else {
    ({ key, metadata } = await authorize(call, body, 'object'));
  }
  const signed = await signPut(call.target, { key, metadata, ...(checksum ? { checksum } : {}) });
  return ok({ ...signed, key });
}
