import { createHash } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ensureBucket } from '../../demo/server/createS3Backend.ts';
import type { HttpRequest, HttpResponse, HttpStack, UploadFileInfo } from '../../src/core/ports.ts';
import { s3JsonBackend } from '../../src/protocols/s3/s3JsonBackend.ts';
import { startSwift, type SwiftS3 } from '../../demo/server/swift/startSwift.ts';
import { sharedSwift } from '../../demo/server/s3Plugin.ts';
import { createS3Handler, type S3HandlerOptions } from '../../src/server/index.ts';

export const MiB = 1024 * 1024;
export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export interface SwiftFixture {
  swift: SwiftS3;
  s3: S3Client;
  bucket: string;
}

/** The run's shared Swift (global setup) when there is one, else a Swift of the file's own. */
export async function startFixture(bucket: string): Promise<SwiftFixture> {
  const swift = sharedSwift() ?? (await startSwift());
  const s3 = new S3Client(clientConfig(swift));
  await ensureBucket(s3, bucket);
  return { swift, s3, bucket };
}

export async function stopFixture(fixture: SwiftFixture | undefined): Promise<void> {
  fixture?.s3.destroy();
  await fixture?.swift.stop();
}

export const clientConfig = (swift: SwiftS3) => ({
  endpoint: swift.endpoint,
  region: swift.region,
  credentials: swift.credentials,
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED' as const,
  responseChecksumValidation: 'WHEN_REQUIRED' as const,
});

/** The app of these tests: the user is the X-User header; each user's keys start with `{user}/`. */
export function handlerFor(fixture: SwiftFixture, extra: Partial<S3HandlerOptions> = {}) {
  return createS3Handler({
    bucket: fixture.bucket,
    s3: clientConfig(fixture.swift),
    authorize: ({ request, filename }) => {
      const user = request.headers.get('x-user');
      return user ? { key: `${user}/${filename}` } : false;
    },
    mayAccess: ({ request, key }) => key.startsWith(`${request.headers.get('x-user')}/`),
    ...extra,
  });
}

/** An HttpStack over fetch: the browser client's JSON calls, and part PUTs to Swift, from Node. */
export function fetchStack(route: (request: Request) => Promise<Response> = fetch): HttpStack {
  return {
    async send(request: HttpRequest): Promise<HttpResponse> {
      const init: RequestInit = { method: request.method, headers: request.headers, signal: request.signal ?? null };
      if (request.body) init.body = request.body instanceof Blob ? await request.body.arrayBuffer() : new Uint8Array(request.body);
      const response = await route(new Request(request.url, init));
      const body = await response.text();
      return { status: response.status, header: (name) => response.headers.get(name), body };
    },
  };
}

/** The library's own browser-side client of the JSON API, sending as user `user`. */
export function pageClient(endpoint: string, http: HttpStack, user: string) {
  const backend = s3JsonBackend(endpoint, () => http);
  const signal = new AbortController().signal;
  const headers = { 'X-User': user };
  return { backend, signal, headers };
}

export function fileInfo(name: string, size: number): UploadFileInfo {
  return { id: name, name, size, type: 'application/octet-stream', lastModified: 0, metadata: { filename: name } };
}

export async function putPart(url: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'PUT', body: new Uint8Array(body), headers });
}

export async function storedObject(fixture: SwiftFixture, key: string): Promise<{ bytes: Uint8Array; metadata: Record<string, string> }> {
  const got = await fixture.s3.send(new GetObjectCommand({ Bucket: fixture.bucket, Key: key }));
  return { bytes: await got.Body!.transformToByteArray(), metadata: got.Metadata ?? {} };
}

export function bytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) % 251;
  return out;
}
