import { createHash } from 'node:crypto';
import { tus } from '../../src/protocols/index.js';
import { FakeHttp, tusAnswers } from '../support/fakeHttp.js';
import { ENDPOINT, UPLOAD_URL, bytes, decodeMetadata, fileInfo, openRequest, openSession, partOf } from './tusTranscript.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('tus discovery', () => {
  test('sends one OPTIONS per protocol instance, shared by concurrent and later opens', async () => {
    const http = new FakeHttp();
    const protocol = tus({ endpoint: ENDPOINT, http });
    const first = protocol.open(openRequest(fileInfo(10)));
    const second = protocol.open(openRequest(fileInfo(20)));
    const options = await http.next('OPTIONS', ENDPOINT);
    expect(options.header('Tus-Resumable')).toBeNull();
    options.respond(204, tusAnswers.options());
    await Promise.all([first, second]);
    await protocol.open(openRequest(fileInfo(30)));
    expect(http.log.map((r) => r.method)).toEqual(['OPTIONS']);
  });

  test('advertises sha-256 only when the checksum extension and the sha256 algorithm are both offered', async () => {
    const cases: Array<[Record<string, string>, 'sha-256' | null]> = [
      [tusAnswers.options('creation,checksum', { 'Tus-Checksum-Algorithm': 'md5,sha1,sha256' }), 'sha-256'],
      [tusAnswers.options('creation,checksum', { 'Tus-Checksum-Algorithm': 'md5,sha1' }), null],
      [tusAnswers.options('creation', { 'Tus-Checksum-Algorithm': 'sha256' }), null],
    ];
    for (const [headers, expected] of cases) {
      const http = new FakeHttp();
      const session = await openSession(tus({ endpoint: ENDPOINT, http }), http, openRequest(fileInfo(1)), headers);
      expect(session.capabilities.checksum).toBe(expected);
    }
  });

  test('one part at a time, any part size, and Tus-Max-Size as the largest part', async () => {
    const http = new FakeHttp();
    const limited = await openSession(tus({ endpoint: ENDPOINT, http }), http, openRequest(fileInfo(1)),
      tusAnswers.options('creation', { 'Tus-Max-Size': '1048576' }));
    // Nothing hashed: the whole file is asked for as one part (the engine still caps it).
    expect(limited.capabilities).toEqual({ checksum: null, maxParallelParts: 1, layout: { kind: 'free', maxPartSize: 1048576, minPartSize: 1 } });
    const other = new FakeHttp();
    const unlimited = await openSession(tus({ endpoint: ENDPOINT, http: other }), other, openRequest(fileInfo(1), { checksum: 'sha-256' }));
    expect(unlimited.capabilities.layout).toEqual({ kind: 'free', maxPartSize: Infinity });
  });

  test('a failed OPTIONS means core + creation, no checksum; a network failure is asked again next time', async () => {
    const http = new FakeHttp();
    const protocol = tus({ endpoint: ENDPOINT, http });
    const opening = protocol.open(openRequest(fileInfo(5)));
    (await http.next('OPTIONS')).fail();
    const session = await opening;
    expect(session.capabilities.checksum).toBeNull();

    // creation-with-upload is not assumed: the whole file goes POST, then PATCH.
    const sending = session.sendPart(partOf(bytes(5), 0, 5));
    const post = await http.next('POST', ENDPOINT);
    expect(post.body).toBeUndefined();
    post.respond(201, tusAnswers.created(UPLOAD_URL));
    (await http.next('PATCH', UPLOAD_URL)).respond(204, tusAnswers.offset(5));
    await sending;

    const again = protocol.open(openRequest(fileInfo(5)));
    (await http.next('OPTIONS')).respond(404, {});
    await again;
    await protocol.open(openRequest(fileInfo(5)));
    expect(http.log.filter((r) => r.method === 'OPTIONS')).toHaveLength(2);
  });

  test('an open aborted while OPTIONS is pending rejects as aborted, without spoiling it for others', async () => {
    const http = new FakeHttp();
    const protocol = tus({ endpoint: ENDPOINT, http });
    const controller = new AbortController();
    const aborted = protocol.open(openRequest(fileInfo(1), { signal: controller.signal }));
    const other = protocol.open(openRequest(fileInfo(1)));
    const options = await http.next('OPTIONS');
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'UploadError', code: 'aborted' });
    options.respond(204, tusAnswers.options('creation,checksum', { 'Tus-Checksum-Algorithm': 'sha256' }));
    expect((await other).capabilities.checksum).toBe('sha-256');
  });
});

describe('tus creation', () => {
  test('a whole small file costs ONE request: the body rides in the POST (creation-with-upload)', async () => {
    const http = new FakeHttp();
    const session = await openSession(tus({ endpoint: ENDPOINT, http }), http, openRequest(fileInfo(100)));
    expect(session.resumeRecord()).toBeUndefined();
    const part = partOf(bytes(100), 0, 100);
    const sending = session.sendPart(part);
    const post = await http.next('POST', ENDPOINT);
    expect(post.body).toBe(part.body);
    expect(post.header('Upload-Length')).toBe('100');
    expect(post.header('Content-Type')).toBe('application/offset+octet-stream');
    expect(post.header('Tus-Resumable')).toBe('1.0.0');
    post.respond(201, tusAnswers.created(UPLOAD_URL, { 'Upload-Offset': '100' }));
    await expect(sending).resolves.toEqual({ acknowledged: 100 });
    expect(session.uploaded).toEqual([{ start: 0, end: 100 }]);
    expect(session.resumeRecord()).toEqual({ url: UPLOAD_URL });
    expect(http.log).toHaveLength(2);
  });

  test('a first part that is not the whole file is POSTed empty, then PATCHed, so the URL exists before bytes flow', async () => {
    const http = new FakeHttp();
    const file = bytes(1000);
    const session = await openSession(tus({ endpoint: ENDPOINT, http }), http, openRequest(fileInfo(1000)));
    const part = partOf(file, 0, 400);
    const sending = session.sendPart(part);
    const post = await http.next('POST', ENDPOINT);
    expect(post.body).toBeUndefined();
    expect(post.header('Content-Type')).toBeNull();
    expect(post.header('Upload-Length')).toBe('1000');
    post.respond(201, tusAnswers.created(UPLOAD_URL));
    const patch = await http.next('PATCH', UPLOAD_URL);
    expect(patch.header('Upload-Offset')).toBe('0');
    expect(patch.header('Content-Type')).toBe('application/offset+octet-stream');
    expect(patch.body).toBe(part.body);
    patch.respond(204, tusAnswers.offset(400));
    await expect(sending).resolves.toEqual({ acknowledged: 400 });

    const next = session.sendPart(partOf(file, 400, 1000));
    const second = await http.next('PATCH', UPLOAD_URL);
    expect(second.header('Upload-Offset')).toBe('400');
    second.respond(204, tusAnswers.offset(1000));
    await expect(next).resolves.toEqual({ acknowledged: 600 });
    expect(session.uploaded).toEqual([{ start: 0, end: 1000 }]);
  });

  test('a whole file above 8 MiB is POSTed empty, then PATCHed whole, so a reload mid-file finds its URL', async () => {
    const http = new FakeHttp();
    const size = 8 * 1024 * 1024 + 1;
    const session = await openSession(tus({ endpoint: ENDPOINT, http }), http, openRequest(fileInfo(size)));
    const part = partOf(bytes(size), 0, size);
    const sending = session.sendPart(part);
    const post = await http.next('POST', ENDPOINT);
    expect(post.body).toBeUndefined();
    post.respond(201, tusAnswers.created(UPLOAD_URL));
    const patch = await http.next('PATCH', UPLOAD_URL);
    // The resume point exists while the file's bytes are on the wire.
    expect(session.resumeRecord()).toEqual({ url: UPLOAD_URL });
    expect(patch.body).toBe(part.body);
    patch.respond(204, tusAnswers.offset(size));
    await expect(sending).resolves.toEqual({ acknowledged: size });
  });

  test('a server that ignored the body in the POST (no Upload-Offset) gets it again by PATCH', async () => {
    const http = new FakeHttp();
    const session = await openSession(tus({ endpoint: ENDPOINT, http, creationWithUpload: true }), http, openRequest(fileInfo(10)),
      tusAnswers.options('creation'));
    const part = partOf(bytes(10), 0, 10);
    const sending = session.sendPart(part);
    const post = await http.next('POST');
    expect(post.body).toBe(part.body);
    post.respond(201, tusAnswers.created(UPLOAD_URL));
    const patch = await http.next('PATCH', UPLOAD_URL);
    expect(patch.header('Upload-Offset')).toBe('0');
    expect(patch.body).toBe(part.body);
    patch.respond(204, tusAnswers.offset(10));
    await expect(sending).resolves.toEqual({ acknowledged: 10 });
  });

  test('creationWithUpload: false sends a whole file as POST then PATCH even when offered', async () => {
    const http = new FakeHttp();
    const session = await openSession(tus({ endpoint: ENDPOINT, http, creationWithUpload: false }), http, openRequest(fileInfo(10)));
    const sending = session.sendPart(partOf(bytes(10), 0, 10));
    const post = await http.next('POST');
    expect(post.body).toBeUndefined();
    post.respond(201, tusAnswers.created(UPLOAD_URL));
    (await http.next('PATCH')).respond(204, tusAnswers.offset(10));
    await expect(sending).resolves.toEqual({ acknowledged: 10 });
  });

  test('Upload-Metadata carries filename and filetype as base64 of UTF-8, plus extra keys', async () => {
    const http = new FakeHttp();
    const name = 'résumé 履歴書.txt';
    const file = fileInfo(3, { name, type: 'text/plain', metadata: { project: 'Ωmega', empty: '' } });
    const session = await openSession(tus({ endpoint: ENDPOINT, http }), http, openRequest(file));
    void session.sendPart(partOf(bytes(3), 0, 3));
    const post = await http.next('POST');
    const header = post.header('Upload-Metadata');
    expect(header).toMatch(/^[^\s,]+ [A-Za-z0-9+/=]+(,[^\s,]+( [A-Za-z0-9+/=]+)?)*$/);
    expect(decodeMetadata(header)).toEqual({ filename: name, filetype: 'text/plain', project: 'Ωmega', empty: '' });
    expect(header?.split(',')).toContain('empty');
  });

  test('a metadata key with a space is refused before anything is sent', async () => {
    const http = new FakeHttp();
    const session = await openSession(tus({ endpoint: ENDPOINT, http }), http,
      openRequest(fileInfo(3, { metadata: { 'bad key': 'x' } })));
    await expect(session.sendPart(partOf(bytes(3), 0, 3))).rejects.toMatchObject({ code: 'protocol' });
    expect(http.log).toHaveLength(1);
  });

  test('a relative Location resolves against the endpoint', async () => {
    const http = new FakeHttp();
    const session = await openSession(tus({ endpoint: ENDPOINT, http }), http, openRequest(fileInfo(10)));
    void session.sendPart(partOf(bytes(10), 0, 4));
    (await http.next('POST')).respond(201, tusAnswers.created('/files/rel-1'));
    const patch = await http.next('PATCH');
    expect(patch.url).toBe('https://tus.example/files/rel-1');
  });

  test('a relative endpoint resolves against the page, and so does the Location', async () => {
    vi.stubGlobal('location', { href: 'http://page.example:8080/app/index.html' });
    const http = new FakeHttp();
    const protocol = tus({ endpoint: '/files', http });
    expect(protocol.endpoint).toBe('http://page.example:8080/files');
    const opening = protocol.open(openRequest(fileInfo(10)));
    (await http.next('OPTIONS', 'http://page.example:8080/files')).respond(204, tusAnswers.options());
    const session = await opening;
    void session.sendPart(partOf(bytes(10), 0, 4));
    (await http.next('POST', 'http://page.example:8080/files')).respond(201, tusAnswers.created('/files/x9'));
    expect((await http.next('PATCH')).url).toBe('http://page.example:8080/files/x9');
  });

  test('an empty file is created, and so completed, by a POST with Upload-Length 0', async () => {
    const http = new FakeHttp();
    const session = await openSession(tus({ endpoint: ENDPOINT, http }), http, openRequest(fileInfo(0)));
    const completing = session.complete({}, new AbortController().signal);
    const post = await http.next('POST', ENDPOINT);
    expect(post.header('Upload-Length')).toBe('0');
    post.respond(201, tusAnswers.created(UPLOAD_URL, { 'Upload-Offset': '0' }));
    await completing;
    expect(session.resumeRecord()).toEqual({ url: UPLOAD_URL });
    expect(http.log.map((r) => r.method)).toEqual(['OPTIONS', 'POST']);
  });

  test('an empty last part creates an empty file with one POST and nothing more', async () => {
    const http = new FakeHttp();
    const session = await openSession(tus({ endpoint: ENDPOINT, http, creationWithUpload: false }), http, openRequest(fileInfo(0)));
    const sending = session.sendPart(partOf(new Blob([]), 0, 0, { last: true }));
    (await http.next('POST')).respond(201, tusAnswers.created(UPLOAD_URL));
    await expect(sending).resolves.toEqual({ acknowledged: 0 });
    await session.complete({}, new AbortController().signal);
    expect(http.log.map((r) => r.method)).toEqual(['OPTIONS', 'POST']);
  });

  test('Upload-Checksum is "sha256 <base64 digest>" when the part carries a digest, absent otherwise', async () => {
    const http = new FakeHttp();
    const file = bytes(64);
    const session = await openSession(tus({ endpoint: ENDPOINT, http }), http, openRequest(fileInfo(64)),
      tusAnswers.options('creation,checksum', { 'Tus-Checksum-Algorithm': 'sha256' }));
    const digest = createHash('sha256').update(Buffer.from(await file.slice(0, 32).arrayBuffer())).digest();
    void session.sendPart(partOf(file, 0, 32, { sha256: new Uint8Array(digest) }));
    (await http.next('POST')).respond(201, tusAnswers.created(UPLOAD_URL));
    const patch = await http.next('PATCH');
    expect(patch.header('Upload-Checksum')).toBe(`sha256 ${digest.toString('base64')}`);
    patch.respond(204, tusAnswers.offset(32));
    void session.sendPart(partOf(file, 32, 64));
    expect((await http.next('PATCH')).header('Upload-Checksum')).toBeNull();
  });

  test('user headers reach every request, the protocol\'s own headers win, Tus-Resumable on all but OPTIONS', async () => {
    const http = new FakeHttp();
    const user = { Authorization: 'Bearer t0k', 'content-type': 'text/plain' };
    const protocol = tus({ endpoint: ENDPOINT, http });
    const session = await openSession(protocol, http, openRequest(fileInfo(10), { headers: user }));
    const file = bytes(10);
    const sending = session.sendPart(partOf(file, 0, 5, { headers: user })).catch((error: unknown) => error);
    (await http.next('POST')).respond(201, tusAnswers.created(UPLOAD_URL));
    (await http.next('PATCH')).respond(409, { 'Tus-Resumable': '1.0.0' });
    expect(await sending).toMatchObject({ code: 'http-status', response: { status: 409 } });
    void session.sync(user, new AbortController().signal);
    (await http.next('HEAD')).respond(200, tusAnswers.offset(0, { 'Upload-Length': '10' }));
    void session.terminate(user);
    (await http.next('DELETE')).respond(204, {});

    expect(http.log.map((r) => r.method)).toEqual(['OPTIONS', 'POST', 'PATCH', 'HEAD', 'DELETE']);
    for (const request of http.log) {
      expect(request.header('Authorization')).toBe('Bearer t0k');
      expect(request.header('Tus-Resumable')).toBe(request.method === 'OPTIONS' ? null : '1.0.0');
    }
    const patch = http.log[2];
    expect(patch?.header('Content-Type')).toBe('application/offset+octet-stream');
    expect(Object.keys(patch?.headers ?? {}).filter((name) => name.toLowerCase() === 'content-type')).toHaveLength(1);
  });

  test('upload progress of the request is reported to the part', async () => {
    const http = new FakeHttp();
    const session = await openSession(tus({ endpoint: ENDPOINT, http }), http, openRequest(fileInfo(100)));
    const seen: number[] = [];
    void session.sendPart(partOf(bytes(100), 0, 100, { onUploadProgress: (loaded) => seen.push(loaded) }));
    const post = await http.next('POST');
    post.progress(40);
    post.progress(100);
    expect(seen).toEqual([40, 100]);
  });
});
