import { createHash } from 'node:crypto';
import { createUploader } from '../../src/core/createUploader.js';
import type { UploaderOptions } from '../../src/core/types.js';
import { s3Multipart } from '../../src/protocols/index.js';
import type { S3MultipartCallbackOptions } from '../../src/protocols/s3/s3Types.js';
import { bytes, settle, track, until } from '../core/harness.js';
import { createFakeClock } from '../support/fakeClock.js';
import { FakeHttp, type PendingRequest } from '../support/fakeHttp.js';
import { BACKEND, KEY, MiB, S3, UPLOAD_ID, Q, answerCreate, crc32Reference, json, jsonOf, presigned } from './s3Transcript.js';

/** What S3 answers a PUT whose bytes do not match the signed x-amz-checksum-crc32c (as the S3 API reference shows it). */
const BAD_DIGEST = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>BadDigest</Code><Message>The CRC32C you specified did not match the calculated checksum.</Message><RequestId>R1</RequestId></Error>`;
const INVALID_CHECKSUM = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>InvalidRequest</Code><Message>Value for x-amz-checksum-crc32c header is invalid.</Message><RequestId>R2</RequestId></Error>`;

function uploader(http: FakeHttp, options: Partial<UploaderOptions> = {}, partSize = 5 * MiB) {
  return track(createUploader({ protocol: s3Multipart({ endpoint: BACKEND, http, partSize }), clock: createFakeClock(1_000_000), resume: false, ...options }));
}

/** Answer a part's signing as a backend that signs the checksum does: its header comes back in `headers`. */
function signWithChecksum(sign: PendingRequest): { n: number; checksum: string } {
  const url = new URL(sign.url);
  const n = Number(/\/(\d+)$/.exec(url.pathname)?.[1]);
  expect(`${url.origin}${url.pathname}`).toBe(`${BACKEND}/multipart/${UPLOAD_ID}/${n}`);
  expect(url.searchParams.get('key')).toBe(KEY);
  expect(url.searchParams.get('checksumAlgorithm')).toBe('CRC32C');
  const checksum = url.searchParams.get('checksum') ?? '';
  json(sign, 200, { url: presigned(n), headers: { 'x-amz-checksum-crc32c': checksum, 'x-amz-sdk-checksum-algorithm': 'CRC32C' } });
  return { n, checksum };
}

/**
 * Play the backend and S3 until CompleteMultipartUpload: signings and PUTs arrive in any order (parts go
 * in parallel); `answerPut` answers each PUT. Returns the checksum signed for each part, by number.
 */
async function serveParts(http: FakeHttp, answerPut: (put: PendingRequest, n: number) => void): Promise<{ signed: Map<number, string>; puts: Map<number, PendingRequest> }> {
  const signed = new Map<number, string>();
  const puts = new Map<number, PendingRequest>();
  for (;;) {
    const request = await http.next();
    if (request.method === 'POST') {
      http.log.push(request);
      return { signed, puts };
    }
    if (request.method === 'GET') {
      const { n, checksum } = signWithChecksum(request);
      signed.set(n, checksum);
      continue;
    }
    const n = Number(new URL(request.url).searchParams.get('partNumber'));
    puts.set(n, request);
    answerPut(request, n);
  }
}

describe('S3 with checksum "auto": every part is CRC32C-checksummed from pooled buffers and signed', () => {
  test('the checksum of each part goes to the signing call, its signed header to the PUT, and each part to complete', async () => {
    const http = new FakeHttp();
    const source = bytes(12 * MiB, 3);
    // 2 MiB buffers under 5 MiB parts: each part is read and hashed in three pieces through one lease.
    const up = uploader(http, { partSize: 2 * MiB, memoryBudget: 4 * MiB });
    up.add([new File([source], 'a.bin', { lastModified: 1 })]);
    const create = await answerCreate(http);
    expect(jsonOf(create)).toMatchObject({ checksumAlgorithm: 'CRC32C' });
    const { signed, puts } = await serveParts(http, (put, n) => put.respond(200, { ETag: `"e${n}"` }));
    const ranges = [1, 2, 3].map((n) => source.subarray((n - 1) * 5 * MiB, Math.min(source.length, n * 5 * MiB)));
    const sent = ranges.map((part) => crc32Reference(part));
    expect([1, 2, 3].map((n) => signed.get(n))).toEqual(sent);
    for (const n of [1, 2, 3]) {
      const put = puts.get(n);
      expect(put?.header('x-amz-checksum-crc32c')).toBe(sent[n - 1]);
      // The bytes sent are the lazy slice of the range that was hashed.
      const body = put?.body instanceof Blob ? Buffer.from(await put.body.arrayBuffer()) : Buffer.alloc(0);
      // (Compared as a boolean: a failing toEqual on megabytes takes minutes to print.)
      expect(body.equals(ranges[n - 1]!), `part ${n} body`).toBe(true);
    }
    const complete = http.log.at(-1)!;
    expect(complete.url).toBe(`${BACKEND}/multipart/${UPLOAD_ID}/complete${Q}`);
    expect(jsonOf(complete)).toEqual({ parts: sent.map((checksum, i) => ({ partNumber: i + 1, etag: `"e${i + 1}"`, checksum })) });
    json(complete, 200, { location: `${S3}/${KEY}` });
    await until(() => up.getSnapshot().files[0]?.status === 'completed', 'completed');
    // The pool worked on S3: buffers were leased for the hashing, and all came back.
    expect(up.getSnapshot().memory).toMatchObject({ leasedBuffers: 0 });
    expect(up.getSnapshot().memory.buffersCreated).toBeGreaterThan(0);
  });

  test.each([
    ['BadDigest', BAD_DIGEST],
    ['InvalidRequest', INVALID_CHECKSUM],
  ])('S3 refusing the checksum (400 %s) fails the file at once with checksum-mismatch naming the code', async (code, body) => {
    const http = new FakeHttp();
    const up = uploader(http, { retry: { delays: [0, 0, 0] } });
    up.add([new File([bytes(6 * MiB, 4)], 'a.bin', { lastModified: 1 })]);
    await answerCreate(http);
    // Part 1 is refused; part 2 (in flight beside it) is stored.
    void serveParts(http, (put, n) => (n === 1 ? put.respond(400, { 'Content-Type': 'application/xml' }, body) : put.respond(200, { ETag: '"e2"' })));
    await until(() => up.getSnapshot().files[0]?.status === 'failed', 'failed');
    const error = up.getSnapshot().files[0]?.error;
    expect(error?.code).toBe('checksum-mismatch');
    expect(error?.message).toContain(`S3: part 1 failed: 400 ${code}`);
    expect(error?.response?.status).toBe(400);
    // Not retried: a 400 repeats; and the presigned signature never shows in the error.
    await settle();
    expect(http.log.filter((r) => r.method === 'PUT' && r.url === presigned(1))).toHaveLength(1);
    expect(error?.message).not.toContain('X-Amz-Signature');
  });
});

describe('S3 checksum choices', () => {
  test('a single PUT carries its checksum to signPut; checksumAlgorithm "crc32" and a part of one buffer', async () => {
    const http = new FakeHttp();
    const source = bytes(100_003, 7);
    const up = track(createUploader({ protocol: s3Multipart({ endpoint: BACKEND, http, checksumAlgorithm: 'crc32' }), clock: createFakeClock(1), resume: false }));
    up.add([new File([source], 'small.bin', { lastModified: 1 })]);
    const sign = await http.next('POST', `${BACKEND}/object`);
    expect(jsonOf(sign)).toMatchObject({ checksumAlgorithm: 'CRC32', checksum: crc32Reference(source, 0xedb88320) });
    json(sign, 200, { url: `${S3}/${KEY}?X-Amz-Signature=s`, key: KEY, headers: { 'x-amz-checksum-crc32': 'x' } });
    (await http.next('PUT')).respond(200, { ETag: '"e"' });
    await until(() => up.getSnapshot().files[0]?.status === 'completed', 'completed');
  });

  test("the uploader's checksum: 'sha-256' wins over the protocol's CRC32C: SHA256, as Node computes it", async () => {
    const http = new FakeHttp();
    const source = bytes(70_001, 8);
    const up = track(createUploader({ protocol: s3Multipart({ endpoint: BACKEND, http }), checksum: 'sha-256', clock: createFakeClock(1), resume: false }));
    up.add([new File([source], 'small.bin', { lastModified: 1 })]);
    const sign = await http.next('POST', `${BACKEND}/object`);
    expect(jsonOf(sign)).toMatchObject({ checksumAlgorithm: 'SHA256', checksum: createHash('sha256').update(source).digest('base64') });
    json(sign, 200, { url: `${S3}/${KEY}?X-Amz-Signature=s`, key: KEY });
    (await http.next('PUT')).respond(200, { ETag: '"e"' });
    await until(() => up.getSnapshot().files[0]?.status === 'completed', 'completed');
  });

  test('checksum: false sends none, declares none and reads nothing', async () => {
    const http = new FakeHttp();
    const up = uploader(http, { checksum: false });
    up.add([new File([bytes(6 * MiB, 2)], 'a.bin', { lastModified: 1 })]);
    const create = await answerCreate(http);
    expect(jsonOf(create)).not.toHaveProperty('checksumAlgorithm');
    const sign = await http.next('GET');
    expect(sign.url).toBe(`${BACKEND}/multipart/${UPLOAD_ID}/1${Q}`);
    up.destroy();
    expect(up.getSnapshot().memory.buffersCreated).toBe(0);
  });

  test('CRC64NVME is declared as a full-object checksum', async () => {
    const http = new FakeHttp();
    const up = track(createUploader({ protocol: s3Multipart({ endpoint: BACKEND, http, partSize: 5 * MiB, checksumAlgorithm: 'crc64nvme' }), clock: createFakeClock(1), resume: false }));
    up.add([new File([bytes(6 * MiB, 2)], 'a.bin', { lastModified: 1 })]);
    const create = await answerCreate(http);
    expect(jsonOf(create)).toMatchObject({ checksumAlgorithm: 'CRC64NVME', checksumType: 'FULL_OBJECT' });
    const sign = await http.next('GET');
    expect(new URL(sign.url).searchParams.get('checksumAlgorithm')).toBe('CRC64NVME');
    // 8 bytes of CRC in base64
    expect(Buffer.from(new URL(sign.url).searchParams.get('checksum') ?? '', 'base64')).toHaveLength(8);
  });

  test('the custom-callbacks form gets the checksum in signPart and each part in complete', async () => {
    const http = new FakeHttp();
    const source = bytes(6 * MiB, 6);
    const seen: unknown[] = [];
    const backend: S3MultipartCallbackOptions = {
      http,
      partSize: 5 * MiB,
      createMultipartUpload: async (file) => (seen.push(['create', file.checksumAlgorithm]), { uploadId: UPLOAD_ID, key: KEY }),
      signPart: async (part) => (seen.push(['sign', part.partNumber, part.checksum]), { url: presigned(part.partNumber) }),
      listParts: async () => [],
      completeMultipartUpload: async (upload) => (seen.push(['complete', upload.parts]), {}),
      abortMultipartUpload: async () => undefined,
    };
    const up = track(createUploader({ protocol: s3Multipart(backend), clock: createFakeClock(1), resume: false }));
    up.add([new File([source], 'a.bin', { lastModified: 1 })]);
    for (const n of [1, 2]) (await http.next('PUT', presigned(n))).respond(200, { ETag: `"e${n}"` });
    await until(() => up.getSnapshot().files[0]?.status === 'completed', 'completed');
    const sums = [crc32Reference(source.subarray(0, 5 * MiB)), crc32Reference(source.subarray(5 * MiB))];
    expect(seen).toEqual([
      ['create', 'CRC32C'],
      ['sign', 1, { algorithm: 'CRC32C', value: sums[0] }],
      ['sign', 2, { algorithm: 'CRC32C', value: sums[1] }],
      ['complete', [{ partNumber: 1, etag: '"e1"', checksum: sums[0] }, { partNumber: 2, etag: '"e2"', checksum: sums[1] }]],
    ]);
  });
});

describe('S3 cancel while the upload is being created', () => {
  test('a cancel during CreateMultipartUpload (the first part still being read and checksummed) waits for the answer and aborts that upload; no part is sent', async () => {
    const http = new FakeHttp();
    const up = uploader(http);
    // The parts' reads wait for `readable`: the cancel lands while the first part is being read.
    let readable = (): void => {};
    const held = new Promise<void>((resolve) => (readable = resolve));
    // Not a byte stream: the reader falls back to arrayBuffer() (of slices, for a CRC's windows), which waits.
    const hold = (blob: Blob): Blob =>
      Object.assign(blob, {
        stream: () => new ReadableStream(),
        arrayBuffer: () => held.then(() => Blob.prototype.arrayBuffer.call(blob)),
        slice: (...range: Parameters<Blob['slice']>) => hold(Blob.prototype.slice.apply(blob, range)),
      });
    class HeldFile extends File {
      override slice(...range: Parameters<Blob['slice']>): Blob {
        return hold(super.slice(...range));
      }
    }
    const [id] = up.add([new HeldFile([bytes(12 * MiB, 9)], 'a.bin', { lastModified: 1 })]).accepted;
    // The create goes out at once; the first part's CRC32C is computed meanwhile.
    const create = await http.next('POST', `${BACKEND}/multipart`);
    const canceling = up.cancel(id);
    // The part's read ends (its run with it) while S3 is still creating the upload.
    readable();
    await settle();
    json(create, 200, { uploadId: UPLOAD_ID, key: KEY });
    // S3 made the upload after all: it must not be left behind, holding storage until a lifecycle rule.
    (await http.next('DELETE', `${BACKEND}/multipart/${UPLOAD_ID}${Q}`)).respond(204);
    // And checks that S3 no longer knows it.
    (await http.next('GET', `${BACKEND}/multipart/${UPLOAD_ID}${Q}`)).respond(404, {}, '{"code":"NoSuchUpload"}');
    await canceling;
    expect(up.getSnapshot().files[0]?.status).toBe('canceled');
    expect(http.log.map((request) => request.method)).toEqual(['POST', 'DELETE', 'GET']);
  });
});
