import zlib from 'node:zlib';
import { createUploader } from '../../src/core/createUploader.js';
import { tus } from '../../src/protocols/index.js';
import { bytes as seeded, track, until } from '../core/harness.js';
import { createFakeClock } from '../support/fakeClock.js';
import { FakeHttp, tusAnswers } from '../support/fakeHttp.js';
import { ENDPOINT, UPLOAD_URL, fileInfo, openRequest, openSession } from './tusTranscript.js';

const CHECKSUM = (algorithms: string) => tusAnswers.options('creation,checksum', { 'Tus-Checksum-Algorithm': algorithms });

describe('tus checksum: the algorithm the server verifies', () => {
  test('crc32 when offered (half the browser CPU of SHA-256), else sha256, else none', async () => {
    const cases: Array<[string, 'crc32' | 'sha-256' | null]> = [
      ['sha1,sha256,crc32', 'crc32'],
      ['md5,sha256', 'sha-256'],
      ['md5,sha1', null],
    ];
    for (const [algorithms, expected] of cases) {
      const http = new FakeHttp();
      const session = await openSession(tus({ endpoint: ENDPOINT, http }), http, openRequest(fileInfo(1)), CHECKSUM(algorithms));
      expect(session.capabilities.checksum).toBe(expected);
    }
  });

  test('through the uploader: each PATCH carries Upload-Checksum crc32 of its bytes, as Node computes it (parts grow, as unhashed ones do)', async () => {
    const http = new FakeHttp();
    const source = seeded(3 * 1024 * 1024 + 11, 4);
    const up = track(createUploader({ protocol: tus({ endpoint: ENDPOINT, http }), partSize: 1024 * 1024, clock: createFakeClock(1), resume: false }));
    up.add([new File([source], 'a.bin', { lastModified: 1 })]);
    (await http.next('OPTIONS')).respond(204, CHECKSUM('sha256,crc32'));
    // No creation-with-upload offered: an empty POST, then one PATCH per part.
    (await http.next('POST', ENDPOINT)).respond(201, tusAnswers.created(UPLOAD_URL));
    const sizes: number[] = [];
    for (let offset = 0; offset < source.length; ) {
      const patch = await http.next('PATCH', UPLOAD_URL);
      const body = patch.body;
      if (!(body instanceof Blob)) throw new Error('a PATCH body is the file slice');
      const end = offset + body.size;
      sizes.push(body.size);
      const expected = Buffer.alloc(4);
      expected.writeUInt32BE(zlib.crc32(source.subarray(offset, end)));
      expect(patch.header('Upload-Checksum')).toBe(`crc32 ${expected.toString('base64')}`);
      patch.respond(204, tusAnswers.offset(end));
      offset = end;
    }
    await until(() => up.getSnapshot().files[0]?.status === 'completed', 'completed');
    // A CRC is read a window at a time, so a part need not fit a buffer: once the first fast part is
    // answered, parts grow four-fold (the second was hashed, at the first size, while the first was sent).
    expect(sizes).toEqual([1024 * 1024, 1024 * 1024, source.length - 2 * 1024 * 1024]);
  });
});
