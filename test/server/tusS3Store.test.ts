import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Server } from '@tus/server';
import { createTusS3Server } from '../../demo/server/createTusS3Server.ts';
import { bytes, MiB, sha256, startFixture, stopFixture, type SwiftFixture } from './s3HandlerSupport.ts';

let fixture: SwiftFixture;
const servers: http.Server[] = [];
beforeAll(async () => {
  fixture = await startFixture('tus-uploads');
});
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await stopFixture(fixture);
});

/** One @tus/server with its own S3Store (as on another machine): only the bucket is shared. */
async function tusInstance(): Promise<string> {
  const tus: Server = createTusS3Server({ route: '/files', swift: fixture.swift, bucket: 'tus-uploads', partSize: 5 * MiB });
  const server = http.createServer((req, res) => void tus.handle(req, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const TUS = { 'Tus-Resumable': '1.0.0' };

test('one upload, its requests alternating between two @tus/server instances on one S3 bucket, stored byte for byte', async () => {
  const [a, b] = await Promise.all([tusInstance(), tusInstance()]);
  const source = bytes(13 * MiB + 321, 9);
  const created = await fetch(`${a}/files`, {
    method: 'POST',
    headers: { ...TUS, 'Upload-Length': String(source.length), 'Upload-Metadata': `filename ${btoa('two-servers.bin')}` },
  });
  expect(created.status).toBe(201);
  const path = new URL(created.headers.get('location')!).pathname;
  const id = path.split('/').pop()!;
  // Chunks that do not fall on the store's 5 MiB part grid: each server must pick up the other's
  // incomplete part from S3, not from its own memory.
  const cuts = [0, 6 * MiB, 7 * MiB + 5, 12 * MiB, source.length];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const origin = i % 2 === 0 ? b : a;
    const head = await fetch(`${origin}${path}`, { method: 'HEAD', headers: TUS });
    expect([origin, head.headers.get('upload-offset')]).toEqual([origin, String(cuts[i])]);
    const patched = await fetch(`${origin}${path}`, {
      method: 'PATCH',
      headers: { ...TUS, 'Upload-Offset': String(cuts[i]), 'Content-Type': 'application/offset+octet-stream' },
      body: source.slice(cuts[i], cuts[i + 1]),
    });
    expect([origin, patched.status, patched.headers.get('upload-offset')]).toEqual([origin, 204, String(cuts[i + 1])]);
  }
  const finalHead = await fetch(`${a}${path}`, { method: 'HEAD', headers: TUS });
  expect(finalHead.headers.get('upload-offset')).toBe(String(source.length));
  const stored = await fixture.s3.send(new GetObjectCommand({ Bucket: 'tus-uploads', Key: id }));
  expect(sha256(await stored.Body!.transformToByteArray())).toBe(sha256(source));
});
