import { commands } from 'vitest/browser';
import { memoryUrlStorage, s3Multipart } from '../../src/index.js';
import type { HttpRequest, HttpResponse, HttpStack, Uploader } from '../../src/index.js';
import { XhrHttpStack } from '../../src/protocols/index.js';
import { MiB, randomFile, settled, uploaderTracker } from './tusHarness.js';

const uploaders = uploaderTracker();
afterEach(() => uploaders.checkAndDestroyAll());

/** XHR with one change made to the requests that `rewrite` picks; notes the upload the backend created. */
class RewritingHttp implements HttpStack {
  upload: { uploadId: string; key: string } | null = null;
  objectKey: string | null = null;
  private readonly inner = new XhrHttpStack();
  constructor(private readonly rewrite: (request: HttpRequest) => Promise<HttpRequest> | HttpRequest) {}

  async send(request: HttpRequest): Promise<HttpResponse> {
    const response = await this.inner.send(await this.rewrite(request));
    if (request.method === 'POST' && /\/multipart$/.test(request.url) && response.status === 200) this.upload = JSON.parse(response.body) as typeof this.upload;
    if (request.method === 'POST' && /\/object$/.test(request.url) && response.status === 200) this.objectKey = (JSON.parse(response.body) as { key: string }).key;
    return response;
  }
}

function start(http: HttpStack, file: File, endpoint = '/s3') {
  const uploader: Uploader = uploaders.create({
    protocol: s3Multipart({ endpoint, http, partSize: 5 * MiB }),
    resume: memoryUrlStorage(),
    memoryBudget: 16 * MiB,
    retry: { delays: [] },
  });
  const [id = ''] = uploader.add([file]).accepted;
  return { uploader, id };
}

const isPut = (request: HttpRequest) => request.method === 'PUT';

describe('S3 refusals reach the page with S3\'s own code (Swift checks every signature)', () => {
  test('a tampered part signature fails with 403 SignatureDoesNotMatch; cancel then aborts the upload', async () => {
    const http = new RewritingHttp((request) =>
      isPut(request) ? { ...request, url: request.url.replace(/X-Amz-Signature=[0-9a-f]{8}/, 'X-Amz-Signature=00000000') } : request,
    );
    const { uploader, id } = start(http, randomFile(12 * MiB, 'tampered.bin'));
    const file = await settled(uploader, id);
    expect(file.status).toBe('failed');
    expect(file.error?.message).toMatch(/^S3: part \d failed: 403 SignatureDoesNotMatch/);
    expect(file.error?.response?.status).toBe(403);
    // Never the presigned query in what the page shows.
    expect(file.error?.request?.url).not.toContain('X-Amz-Signature');
    const { key, uploadId } = http.upload ?? { key: '', uploadId: '' };
    expect(await commands.s3OpenUploads(key)).toEqual([uploadId]);
    await uploader.cancel(id);
    expect(await commands.s3OpenUploads(key)).toEqual([]);
  });

  test('an expired presigned PUT fails naming S3\'s refusal, and nothing is stored', async () => {
    // The '/s3-short' backend signs for 2 s; this PUT waits until the URL has certainly expired.
    const http = new RewritingHttp(async (request) => {
      if (isPut(request)) await new Promise((resolve) => setTimeout(resolve, 3500));
      return request;
    });
    const { uploader, id } = start(http, randomFile(MiB, 'expired.bin'), '/s3-short');
    const file = await settled(uploader, id);
    expect(file.status).toBe('failed');
    expect(file.error?.message).toMatch(/^S3: object failed: 403 AccessDenied: .*expired/i);
    expect(await commands.s3ObjectSha256(http.objectKey ?? '')).toBeNull();
  });

  test('a backend error shows its status and message: a complete naming a wrong ETag is 400 InvalidPart', async () => {
    const http = new RewritingHttp((request) => {
      if (!(request.method === 'POST' && /\/complete\?/.test(request.url) && request.body instanceof Uint8Array)) return request;
      const body = JSON.parse(new TextDecoder().decode(request.body)) as { parts: { etag: string }[] };
      body.parts[0]!.etag = '"00000000000000000000000000000000"';
      return { ...request, body: new TextEncoder().encode(JSON.stringify(body)) };
    });
    const { uploader, id } = start(http, randomFile(5 * MiB + 1, 'bad-complete.bin'));
    const file = await settled(uploader, id);
    expect(file.status).toBe('failed');
    expect(file.error?.response?.status).toBe(400);
    const answer = JSON.parse(file.error?.response?.body ?? '{}') as { code?: string; error?: string };
    expect(answer.code).toBe('InvalidPart');
    expect(answer.error).toMatch(/^S3 CompleteMultipartUpload failed: InvalidPart \(400\)/);
    await uploader.cancel(id);
    expect(await commands.s3OpenUploads(http.upload?.key ?? '')).toEqual([]);
  });
});
