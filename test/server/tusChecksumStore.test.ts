import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import { DataStore, type Upload } from '@tus/server';
import type { Readable } from 'node:stream';
import { TusChecksumStore } from '../../src/server/index.ts';

const TUS = { 'Tus-Resumable': '1.0.0' };

/**
 * A FileStore seen only through the DataStore interface, as the checksum store sees an S3Store: it cannot
 * cut a file back, so checksummed bodies are held until verified (the other path of TusChecksumStore).
 */
class OpaqueStore extends DataStore {
  readonly #inner: FileStore;
  constructor(inner: FileStore) {
    super();
    this.#inner = inner;
    this.extensions = inner.extensions;
  }
  override create(upload: Upload) { return this.#inner.create(upload); }
  override write(stream: Readable, id: string, offset: number) { return this.#inner.write(stream, id, offset); }
  override getUpload(id: string) { return this.#inner.getUpload(id); }
  override remove(id: string) { return this.#inner.remove(id); }
  override declareUploadLength(id: string, length: number) { return this.#inner.declareUploadLength(id, length); }
  override getExpiration() { return this.#inner.getExpiration(); }
}

type Kind = 'FileStore' | 'opaque';

interface Fixture {
  url: string;
  directory: string;
  store: TusChecksumStore;
  tus: Server;
  close(): Promise<void>;
}

const fixtures: Fixture[] = [];
afterEach(async () => {
  for (const fixture of fixtures.splice(0)) await fixture.close();
});

/** A real @tus/server on a FileStore wrapped in the checksum store, over Node's http on a free port. */
async function start(kind: Kind, options: ConstructorParameters<typeof TusChecksumStore>[1] = {}): Promise<Fixture> {
  const directory = await mkdtemp(path.join(tmpdir(), 'tus-checksum-'));
  const files = new FileStore({ directory });
  const store = new TusChecksumStore(kind === 'FileStore' ? files : new OpaqueStore(files), options);
  const tus = new Server({ path: '/files', datastore: store, ...store.serverOptions });
  const server = http.createServer((req, res) => void store.handle(tus, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fixture: Fixture = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/files`,
    directory,
    store,
    tus,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(directory, { recursive: true, force: true });
    },
  };
  fixtures.push(fixture);
  return fixture;
}

function bytes(size: number, seed: number): Buffer<ArrayBuffer> {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('base64');
const crc32 = (data: Uint8Array) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(zlib.crc32(data));
  return out.toString('base64');
};

async function create(url: string, size: number): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: { ...TUS, 'Upload-Length': String(size) } });
  expect(response.status).toBe(201);
  return new URL(response.headers.get('location') ?? '', url).href;
}

function patch(url: string, offset: number, body: Uint8Array<ArrayBuffer>, checksum?: string): Promise<Response> {
  const headers: Record<string, string> = { ...TUS, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' };
  if (checksum !== undefined) headers['Upload-Checksum'] = checksum;
  return fetch(url, { method: 'PATCH', headers, body });
}

async function offsetOf(url: string): Promise<number> {
  const response = await fetch(url, { method: 'HEAD', headers: TUS });
  return Number(response.headers.get('upload-offset'));
}

async function stored(fixture: Fixture, url: string): Promise<Buffer> {
  return readFile(path.join(fixture.directory, path.basename(new URL(url).pathname)));
}

describe.each([
  ['FileStore' as const, 'streamed to disk and cut back on a mismatch'],
  ['opaque' as const, 'held until verified'],
])('TusChecksumStore over a %s (bodies %s)', (kind: Kind, _how: string) => {
  test('OPTIONS advertises the checksum extension and its algorithms', async () => {
    const { url } = await start(kind);
    const response = await fetch(url, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('tus-extension')?.split(',')).toContain('checksum');
    expect(response.headers.get('tus-checksum-algorithm')).toBe('sha1,sha256,crc32');
    expect(response.headers.get('access-control-allow-headers')).toContain('Upload-Checksum');
  });

  test.each([
    ['sha256', sha256],
    ['crc32', crc32],
    ['sha1', (data: Uint8Array) => createHash('sha1').update(data).digest('base64')],
  ] as const)('%s: matching parts are stored byte for byte', async (name, digest) => {
    const fixture = await start(kind);
    const source = bytes(3 * 1024 * 1024 + 17, 3);
    const upload = await create(fixture.url, source.length);
    const cut = 2 * 1024 * 1024;
    expect((await patch(upload, 0, source.subarray(0, cut), `${name} ${digest(source.subarray(0, cut))}`)).status).toBe(204);
    expect((await patch(upload, cut, source.subarray(cut), `${name} ${digest(source.subarray(cut))}`)).status).toBe(204);
    expect(await offsetOf(upload)).toBe(source.length);
    expect(sha256(await stored(fixture, upload))).toBe(sha256(source));
  });

  test('a wrong digest is answered 460 and nothing of the body is kept: the offset stays, and the right part goes on', async () => {
    const fixture = await start(kind);
    const source = bytes(2 * 1024 * 1024, 5);
    const upload = await create(fixture.url, source.length);
    const half = source.length / 2;
    expect((await patch(upload, 0, source.subarray(0, half), `crc32 ${crc32(source.subarray(0, half))}`)).status).toBe(204);
    const corrupted = Buffer.from(source.subarray(half));
    corrupted[1000]! ^= 0xff;
    const refused = await patch(upload, half, corrupted, `sha256 ${sha256(source.subarray(half))}`);
    expect(refused.status).toBe(460);
    expect(await offsetOf(upload)).toBe(half);
    expect((await stat(path.join(fixture.directory, path.basename(new URL(upload).pathname)))).size).toBe(half);
    expect((await patch(upload, half, source.subarray(half), `sha256 ${sha256(source.subarray(half))}`)).status).toBe(204);
    expect(sha256(await stored(fixture, upload))).toBe(sha256(source));
  });

  test('a client that hangs up mid-body leaves nothing: the same part sent again at the same offset is taken', async () => {
    const fixture = await start(kind);
    const source = bytes(1024 * 1024, 10);
    const upload = await create(fixture.url, source.length);
    const target = new URL(upload);
    const cut = http.request({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'PATCH',
      headers: { ...TUS, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream', 'Content-Length': source.length, 'Upload-Checksum': `crc32 ${crc32(source)}` },
    });
    cut.on('error', () => undefined);
    await new Promise<void>((resolve) => cut.write(source.subarray(0, 300_000), () => resolve()));
    cut.destroy();
    // Had the 300,000 bytes been kept, this PATCH at offset 0 would be a 409 (or take the lock to find them).
    expect((await patch(upload, 0, source, `crc32 ${crc32(source)}`)).status).toBe(204);
    expect(sha256(await stored(fixture, upload))).toBe(sha256(source));
  });

  test('a body without Upload-Checksum is stored as the wrapped store stores it', async () => {
    const fixture = await start(kind);
    const source = bytes(100_000, 6);
    const upload = await create(fixture.url, source.length);
    expect((await patch(upload, 0, source)).status).toBe(204);
    expect(sha256(await stored(fixture, upload))).toBe(sha256(source));
  });

  test.each([
    ['an algorithm not offered', 'md5 AAAA'],
    ['a malformed header', 'sha256'],
  ])('%s is a 400 and nothing is kept', async (_, header) => {
    const fixture = await start(kind, { algorithms: ['sha256', 'crc32'] });
    const upload = await create(fixture.url, 10);
    expect((await patch(upload, 0, bytes(10, 1), header)).status).toBe(400);
    expect(await offsetOf(upload)).toBe(0);
  });

  test('creation-with-upload: a POST whose body fails its checksum is 460 and leaves no upload behind', async () => {
    const fixture = await start(kind);
    const source = bytes(5000, 8);
    const headers = { ...TUS, 'Upload-Length': '5000', 'Content-Type': 'application/offset+octet-stream', 'Upload-Checksum': `crc32 ${crc32(bytes(5000, 9))}` };
    const response = await fetch(fixture.url, { method: 'POST', headers, body: source });
    expect(response.status).toBe(460);
    const files = (await import('node:fs/promises')).readdir(fixture.directory);
    expect((await files).filter((name) => !name.endsWith('.json'))).toEqual([]);
  });

  test('the Fetch API entry (handleWeb) verifies too and advertises on OPTIONS', async () => {
    const fixture = await start(kind);
    const base = 'http://app.example/files';
    const options = await fixture.store.handleWeb(fixture.tus, new Request(base, { method: 'OPTIONS' }));
    expect(options.headers.get('tus-checksum-algorithm')).toBe('sha1,sha256,crc32');
    const created = await fixture.store.handleWeb(fixture.tus, new Request(base, { method: 'POST', headers: { ...TUS, 'Upload-Length': '8' } }));
    const upload = new URL(created.headers.get('location') ?? '', base).href;
    const body = bytes(8, 2);
    const send = (checksum: string) =>
      fixture.store.handleWeb(fixture.tus, new Request(upload, {
        method: 'PATCH',
        headers: { ...TUS, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream', 'Upload-Checksum': checksum },
        body,
      }));
    expect((await send(`crc32 ${crc32(bytes(8, 3))}`)).status).toBe(460);
    expect((await send(`crc32 ${crc32(body)}`)).status).toBe(204);
    expect(sha256(await stored(fixture, upload))).toBe(sha256(body));
  });
});

test('a store that cannot cut back: a checksummed body over maxVerifiedBodySize is refused with 413, nothing kept', async () => {
  const fixture = await start('opaque', { maxVerifiedBodySize: 1024 });
  const source = bytes(4096, 7);
  const upload = await create(fixture.url, source.length);
  const refused = await patch(upload, 0, source, `crc32 ${crc32(source)}`);
  expect(refused.status).toBe(413);
  expect(await offsetOf(upload)).toBe(0);
});
