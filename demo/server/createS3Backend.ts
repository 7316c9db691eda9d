import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import S3rver from 's3rver';
import { presignV4, type S3Credentials } from './presignV4.js';
import { s3rverMultipartGaps } from './s3rverMultipartGaps.js';

export interface S3BackendOptions {
  /** Where s3rver keeps buckets and uploads (git-ignored, under .uploads/). */
  directory: string;
  /** Route prefix of the JSON API. Default '/s3'. */
  route?: string;
  bucket?: string;
}

export interface S3Backend {
  readonly route: string;
  readonly bucket: string;
  /** s3rver's origin, e.g. http://127.0.0.1:40123 (known once started). */
  origin(): string;
  /** Handles a request under `route`; false when the URL is not ours. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** A presigned URL for the backend's own (or a test's) request to s3rver. */
  presign(method: string, key: string, query?: string): string;
  close(): Promise<void>;
}

// s3rver's built-in account; it does not check V4 signatures, but a real S3 would, so they are real.
const CREDENTIALS: S3Credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' };
const PART_URL_SECONDS = 15 * 60;
const KEY_PATTERN = /^[0-9a-f-]{36}\/[\w.-]{1,200}$/;

/** The CORS rule a bucket needs for browser part uploads: PUT from the page, ETag readable. */
export const CORS_XML = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod>
<AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

/**
 * A real S3-compatible server (s3rver) on 127.0.0.1 and, in front of it, the app backend a page
 * talks to: the JSON API that s3Multipart({ endpoint }) calls. It signs with the credentials only it holds.
 */
export async function createS3Backend(options: S3BackendOptions): Promise<S3Backend> {
  const route = (options.route ?? '/s3').replace(/\/+$/, '');
  const bucket = options.bucket ?? 'uploads';
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: options.directory,
    configureBuckets: [{ name: bucket, configs: [CORS_XML] }],
  });
  // Before s3rver's router, which is the last middleware.
  server.middleware.splice(server.middleware.length - 1, 0, s3rverMultipartGaps((b) => server.store.getResourcePath(b, undefined, 'uploads')));
  const { port } = await server.run();
  const origin = `http://127.0.0.1:${port}`;
  const presign = (method: string, key: string, query = ''): string =>
    presignV4(method, `${origin}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}${query}`, CREDENTIALS, PART_URL_SECONDS);
  const api = jsonApi(presign);
  return {
    route,
    bucket,
    origin: () => origin,
    presign,
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://page.invalid');
      if (url.pathname === `${route}/object`) {
        signPut(req, res, presign).catch((error: unknown) => send(res, 502, { error: error instanceof Error ? error.message : String(error) }));
        return true;
      }
      if (url.pathname !== `${route}/multipart` && !url.pathname.startsWith(`${route}/multipart/`)) return false;
      api(req, res, url.pathname.slice(route.length + '/multipart'.length), url.searchParams.get('key')).catch((error: unknown) => {
        send(res, 502, { error: error instanceof Error ? error.message : String(error) });
      });
      return true;
    },
    close: () => server.close(),
  };
}

type Presign = (method: string, key: string, query?: string) => string;

/**
 * POST /object: a presigned PutObject for a small file. A retry names the key its first signing chose;
 * a key of our own form is signed again (this demo has no users: a real backend checks the key is the
 * caller's), so the retried PUT overwrites the same object rather than leaving a second one.
 */
async function signPut(req: IncomingMessage, res: ServerResponse, presign: Presign): Promise<void> {
  if (req.method !== 'POST') return send(res, 405, { error: 'POST only' });
  const { filename, key } = (await readJson(req)) as { filename?: unknown; key?: unknown };
  if (key !== undefined && (typeof key !== 'string' || !KEY_PATTERN.test(key))) return send(res, 400, { error: 'bad key' });
  const chosen = key ?? newKey(filename);
  send(res, 200, { url: presign('PUT', chosen), key: chosen });
}

function newKey(filename: unknown): string {
  const name = String(filename ?? 'file').replace(/[^\w.-]/g, '_').slice(-200) || 'file';
  return `${randomUUID()}/${name}`;
}

/** The five multipart calls of the README's JSON API, each one S3 request made with a presigned URL. */
function jsonApi(presign: Presign) {
  return async (req: IncomingMessage, res: ServerResponse, rest: string, key: string | null): Promise<void> => {
    if (rest === '' && req.method === 'POST') {
      const { filename } = (await readJson(req)) as { filename?: unknown };
      const created = newKey(filename);
      const answer = await fetch(presign('POST', created, '?uploads'), { method: 'POST' });
      const uploadId = tag(await answer.text(), 'UploadId');
      return answer.ok && uploadId ? send(res, 200, { uploadId, key: created }) : send(res, 502, { error: `S3 said ${answer.status}` });
    }
    const [uploadId = '', partNumber, action] = rest.slice(1).split('/');
    if (key === null || !KEY_PATTERN.test(key) || !/^[0-9a-f]{32}$/.test(uploadId)) return send(res, 400, { error: 'bad key or upload id' });
    const id = `?uploadId=${uploadId}`;
    if (req.method === 'GET' && partNumber !== undefined && /^\d{1,5}$/.test(partNumber)) {
      return send(res, 200, { url: presign('PUT', key, `?partNumber=${partNumber}&uploadId=${uploadId}`) });
    }
    if (req.method === 'GET' && partNumber === undefined) {
      const answer = await fetch(presign('GET', key, id));
      if (answer.status === 404) return send(res, 404, { code: 'NoSuchUpload' });
      return send(res, answer.ok ? 200 : 502, { parts: listedParts(await answer.text()) });
    }
    if (req.method === 'POST' && partNumber === 'complete' && action === undefined) {
      const { parts } = (await readJson(req)) as { parts?: { partNumber: number; etag: string }[] };
      const xml = (parts ?? []).map((p) => `<Part><PartNumber>${Number(p.partNumber)}</PartNumber><ETag>${escapeXml(String(p.etag))}</ETag></Part>`);
      const answer = await fetch(presign('POST', key, id), { method: 'POST', body: `<CompleteMultipartUpload>${xml.join('')}</CompleteMultipartUpload>` });
      const body = await answer.text();
      return answer.ok ? send(res, 200, { location: tag(body, 'Location'), etag: tag(body, 'ETag') }) : send(res, answer.status === 404 ? 404 : 502, { error: body.slice(0, 300) });
    }
    if (req.method === 'DELETE' && partNumber === undefined) {
      const answer = await fetch(presign('DELETE', key, id), { method: 'DELETE' });
      return send(res, answer.ok ? 204 : answer.status === 404 ? 404 : 502, null);
    }
    send(res, 404, { error: 'no such route' });
  };
}

function listedParts(xml: string): { partNumber: number; size: number; etag: string }[] {
  return [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map(([, part = '']) => ({
    partNumber: Number(tag(part, 'PartNumber')),
    size: Number(tag(part, 'Size')),
    etag: tag(part, 'ETag') ?? '',
  }));
}

function tag(xml: string, name: string): string | undefined {
  const found = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  return found?.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (body === null) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}
