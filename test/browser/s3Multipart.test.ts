import { commands } from 'vitest/browser';
import { memoryUrlStorage, s3Multipart } from '../../src/index.js';
import type { HttpRequest, HttpResponse, HttpStack, Uploader } from '../../src/index.js';
import { XhrHttpStack } from '../../src/protocols/index.js';
import { MiB, randomFile, settled, sha256Hex, uploaderTracker, waitForSnapshot } from './tusHarness.js';

const uploaders = uploaderTracker();
afterEach(() => uploaders.checkAndDestroyAll());

/** XHR that counts part PUTs in flight and their bytes, and notes the upload (or object) the backend created. */
class WatchingHttp implements HttpStack {
  inFlight = 0;
  maxInFlight = 0;
  putBytes = 0;
  readonly calls: string[] = [];
  upload: { uploadId: string; key: string } | null = null;
  /** Key of the last presigned PutObject. */
  objectKey: string | null = null;
  private readonly inner = new XhrHttpStack();

  /** `passPuts`: part PUTs after that many are held (unsent) until aborted, so an upload stops at a fixed part. */
  constructor(private readonly passPuts = Infinity) {}

  async send(request: HttpRequest): Promise<HttpResponse> {
    const put = request.method === 'PUT';
    if (put && this.calls.filter((call) => call.startsWith('PUT')).length >= this.passPuts) {
      await new Promise<never>((_, reject) => {
        const { signal } = request;
        if (signal?.aborted) return reject(signal.reason);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    this.calls.push(`${request.method} ${new URL(request.url, location.href).pathname}`);
    if (put) this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      const response = await this.inner.send(request);
      if (put && response.status === 200 && request.body instanceof Blob) this.putBytes += request.body.size;
      if (request.method === 'POST' && request.url.endsWith('/s3/multipart')) this.upload = JSON.parse(response.body) as typeof this.upload;
      if (request.method === 'POST' && request.url.endsWith('/s3/object')) this.objectKey = (JSON.parse(response.body) as { key: string }).key;
      return response;
    } finally {
      if (put) this.inFlight--;
    }
  }
}

function start(http: WatchingHttp, file: File, options: { storage?: ReturnType<typeof memoryUrlStorage>; parallel?: number } = {}) {
  const uploader: Uploader = uploaders.create({
    protocol: s3Multipart({ endpoint: '/s3', http, partSize: 5 * MiB, maxParallelParts: options.parallel ?? 4 }),
    resume: options.storage ?? memoryUrlStorage(),
    memoryBudget: 16 * MiB,
  });
  const [id = ''] = uploader.add([file]).accepted;
  return { uploader, id };
}

describe('S3 multipart against a real S3 engine (OpenStack Swift, signatures checked)', () => {
  test('a 64 MiB file goes up in 5 MiB parts, several at once, and is stored byte for byte', async () => {
    const source = randomFile(64 * MiB, 'big-s3.bin');
    const http = new WatchingHttp();
    const { uploader, id } = start(http, source);
    const file = await settled(uploader, id);
    expect(file.error?.message ?? null).toBeNull();
    expect(file.status).toBe('completed');
    const { key } = http.upload ?? { key: '' };
    expect(await commands.s3ObjectSha256(key)).toBe(await sha256Hex(source));
    expect(http.calls.filter((c) => c.startsWith('PUT'))).toHaveLength(13);
    expect(http.maxInFlight).toBeGreaterThan(1);
    expect(http.maxInFlight).toBeLessThanOrEqual(4);
    expect(http.putBytes).toBe(source.size);
    // Completed: S3 assembled the object and holds no open multipart upload for it.
    expect(await commands.s3OpenUploads(key)).toEqual([]);
  });

  test("unicode and !'()* in the name: multipart and single PUT both stored under keys that keep it", async () => {
    const name = "Ünïcødé 名前 !'()* (draft).bin";
    for (const size of [12 * MiB, MiB]) {
      const source = randomFile(size, name);
      const http = new WatchingHttp();
      const { uploader, id } = start(http, source);
      const file = await settled(uploader, id);
      expect(file.error?.message ?? null).toBeNull();
      const key = http.upload?.key ?? http.objectKey ?? '';
      expect(key.endsWith(`/${name}`)).toBe(true);
      expect(await commands.s3ObjectSha256(key)).toBe(await sha256Hex(source));
    }
  });

  test('cancel aborts the multipart upload: no parts left on S3, no object', async () => {
    const source = randomFile(24 * MiB, 'cancel-s3.bin');
    const http = new WatchingHttp();
    const { uploader, id } = start(http, source, { parallel: 1 });
    await waitForSnapshot(uploader, (s) => (s.files[0]?.bytesAcknowledged ?? 0) >= 5 * MiB);
    const { key, uploadId } = http.upload ?? { key: '', uploadId: '' };
    expect(await commands.s3ListParts(key, uploadId)).not.toBeNull();
    expect(await commands.s3OpenUploads(key)).toEqual([uploadId]);
    await uploader.cancel(id);
    expect(uploader.getSnapshot().files[0]?.status).toBe('canceled');
    expect(http.calls).toContain(`DELETE /s3/multipart/${encodeURIComponent(uploadId)}`);
    expect(await commands.s3OpenUploads(key)).toEqual([]);
    expect(await commands.s3ListParts(key, uploadId)).toBeNull();
    expect(await commands.s3ObjectSha256(key)).toBeNull();
  });

  test('a new uploader resumes from ListParts and sends only the missing parts', async () => {
    const source = randomFile(24 * MiB, 'resume-s3.bin');
    const storage = memoryUrlStorage();
    // Two parts go, the third is held: the first uploader stops at 10 MiB however fast the machine.
    const first = new WatchingHttp(2);
    const a = start(first, source, { storage, parallel: 1 });
    await waitForSnapshot(a.uploader, (s) => (s.files[0]?.bytesAcknowledged ?? 0) >= 10 * MiB);
    a.uploader.destroy();
    const { key, uploadId } = first.upload ?? { key: '', uploadId: '' };

    const second = new WatchingHttp();
    const b = start(second, source, { storage });
    const file = await settled(b.uploader, b.id);
    expect(file.error?.message ?? null).toBeNull();
    expect(file.status).toBe('completed');
    expect(file.resumed).toBe(true);
    expect(second.upload).toBeNull();
    expect(second.calls[0]).toBe(`GET /s3/multipart/${encodeURIComponent(uploadId)}`);
    expect(second.putBytes).toBeGreaterThan(0);
    expect(second.putBytes).toBeLessThanOrEqual(source.size - 10 * MiB);
    expect(await commands.s3ObjectSha256(key)).toBe(await sha256Hex(source));
  });

  test('a 1 MiB file and an empty file each go up as one presigned PutObject, stored byte for byte', async () => {
    for (const source of [randomFile(MiB, 'small-s3.bin'), new File([], 'empty-s3.txt', { type: 'text/plain' })]) {
      const http = new WatchingHttp();
      const { uploader, id } = start(http, source);
      const file = await settled(uploader, id);
      expect(file.error?.message ?? null).toBeNull();
      expect(file.status).toBe('completed');
      const key = http.objectKey ?? '';
      expect(http.calls).toEqual(['POST /s3/object', `PUT /uploads/${key}`]);
      expect(http.putBytes).toBe(source.size);
      expect(await commands.s3ObjectSha256(key)).toBe(await sha256Hex(source));
    }
  });

  test('a file of exactly the threshold (the 5 MiB part size) still goes multipart', async () => {
    const source = randomFile(5 * MiB, 'threshold-s3.bin');
    const http = new WatchingHttp();
    const { uploader, id } = start(http, source);
    const file = await settled(uploader, id);
    expect(file.status).toBe('completed');
    const { key, uploadId } = http.upload ?? { key: '', uploadId: '' };
    expect(http.calls).toEqual([
      'POST /s3/multipart',
      `GET /s3/multipart/${encodeURIComponent(uploadId)}/1`,
      `PUT /uploads/${key}`,
      `POST /s3/multipart/${encodeURIComponent(uploadId)}/complete`,
    ]);
    expect(await commands.s3ObjectSha256(key)).toBe(await sha256Hex(source));
    expect(await commands.s3OpenUploads(key)).toEqual([]);
  });
});
