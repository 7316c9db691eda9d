import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { S3Store } from '@tus/s3-store';
import { Server } from '@tus/server';
import { TusChecksumStore } from '../../src/server/index.ts';
import { bytes, clientConfig, MiB, sha256, startFixture, stopFixture, type SwiftFixture } from './s3HandlerSupport.ts';

/** The checksum store wraps any DataStore: here @tus/s3-store on the real S3 engine, where bytes cannot be cut back. */
let fixture: SwiftFixture;
let server: http.Server;
let base: string;
beforeAll(async () => {
  fixture = await startFixture('tus-checksum-s3');
  const store = new TusChecksumStore(new S3Store({ partSize: 5 * MiB, useTags: false, s3ClientConfig: { ...clientConfig(fixture.swift), bucket: fixture.bucket } }));
  const tus = new Server({ path: '/files', datastore: store, ...store.serverOptions });
  server = http.createServer((req, res) => void store.handle(tus, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await stopFixture(fixture);
});

const TUS = { 'Tus-Resumable': '1.0.0' };
const crc32 = (data: Uint8Array): string => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(zlib.crc32(data));
  return out.toString('base64');
};

test('S3Store: a part failing its checksum is 460 and leaves the offset, the right one completes the object byte for byte', async () => {
  const source = bytes(6 * MiB + 99, 4);
  const created = await fetch(`${base}/files`, { method: 'POST', headers: { ...TUS, 'Upload-Length': String(source.length) } });
  expect(created.status).toBe(201);
  const url = new URL(created.headers.get('location')!, base).href;
  const patch = (offset: number, body: Uint8Array, checksum: string) =>
    fetch(url, {
      method: 'PATCH',
      headers: { ...TUS, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream', 'Upload-Checksum': checksum },
      body: new Uint8Array(body),
    });
  const cut = 3 * MiB;
  expect((await patch(0, source.subarray(0, cut), `crc32 ${crc32(source.subarray(0, cut))}`)).status).toBe(204);
  const corrupted = source.slice(cut);
  corrupted[12345]! ^= 0x40;
  expect((await patch(cut, corrupted, `sha256 ${createHash('sha256').update(source.subarray(cut)).digest('base64')}`)).status).toBe(460);
  const head = await fetch(url, { method: 'HEAD', headers: TUS });
  expect(head.headers.get('upload-offset')).toBe(String(cut));
  expect((await patch(cut, source.subarray(cut), `crc32 ${crc32(source.subarray(cut))}`)).status).toBe(204);
  const id = new URL(url).pathname.split('/').pop()!;
  const stored = await fixture.s3.send(new GetObjectCommand({ Bucket: fixture.bucket, Key: id }));
  expect(sha256(await stored.Body!.transformToByteArray())).toBe(sha256(source));
});
