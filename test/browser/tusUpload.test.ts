import { commands } from 'vitest/browser';
import { tus } from '../../src/index.js';
import { MiB, RecordingHttp, expectStoredExactly, randomFile, settled, testScope, uploaderTracker } from './tusHarness.js';

const uploaders = uploaderTracker();
afterEach(() => uploaders.checkAndDestroyAll());

describe('tus against a real @tus/server', () => {
  test('a 64 MiB file in 1 MiB chunks is stored byte for byte, one PATCH per chunk', async () => {
    const scope = testScope();
    const source = randomFile(64 * MiB, 'big.bin');
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files' }),
      partSize: MiB,
      maxPartSize: MiB,
      memoryBudget: 8 * MiB,
      headers: { 'X-Test-Scope': scope },
    });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    await expectStoredExactly('/files', file, source);

    const log = await commands.tusRequestLog('/files', scope);
    const patches = log.filter((entry) => entry.method === 'PATCH');
    expect(log.filter((entry) => entry.method === 'POST')).toHaveLength(1);
    expect(patches).toHaveLength(64);
    expect(patches.map((p) => p.uploadOffset)).toEqual(Array.from({ length: 64 }, (_, i) => i * MiB));
    expect(patches.every((p) => p.status === 204 && p.bytesStored === MiB && !p.hadChecksum)).toBe(true);
  });

  test('the same with each chunk\'s checksum (crc32, by \'auto\') verified by the server at /files-checksum', async () => {
    const scope = testScope();
    const source = randomFile(64 * MiB, 'big-checked.bin');
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files-checksum' }),
      partSize: MiB,
      // CRC'd parts grow as unhashed ones do: pinned here to test one verified PATCH per chunk.
      maxPartSize: MiB,
      memoryBudget: 8 * MiB,
      checksum: 'auto',
      headers: { 'X-Test-Scope': scope },
    });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    await expectStoredExactly('/files-checksum', file, source);

    const patches = (await commands.tusRequestLog('/files-checksum', scope)).filter((e) => e.method === 'PATCH');
    expect(patches).toHaveLength(64);
    expect(patches.every((p) => p.hadChecksum && p.status === 204)).toBe(true);
    const { memory } = uploader.getSnapshot();
    expect(memory.buffersCreated).toBeGreaterThan(0);
    expect(memory.buffersReused).toBeGreaterThan(0);
  });

  test('discovery: /files-checksum advertises checksum with its algorithms, /files does not', async () => {
    const plain = await fetch('/files', { method: 'OPTIONS' });
    const checked = await fetch('/files-checksum', { method: 'OPTIONS' });
    expect(plain.headers.get('Tus-Extension')?.split(',')).not.toContain('checksum');
    expect(plain.headers.get('Tus-Checksum-Algorithm')).toBeNull();
    expect(checked.headers.get('Tus-Extension')?.split(',')).toEqual(expect.arrayContaining(['checksum', 'creation-with-upload']));
    expect(checked.headers.get('Tus-Checksum-Algorithm')).toBe('sha1,sha256,crc32');
  });

  test('a small file costs one request after discovery: the body rides in the creating POST', async () => {
    const http = new RecordingHttp();
    const source = randomFile(200 * 1024, 'small.bin');
    const uploader = uploaders.create({ protocol: tus({ endpoint: '/files', http }) });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    await expectStoredExactly('/files', file, source);
    expect(http.sent.map((r) => `${r.method} ${r.status} ${r.bodySize}`)).toEqual(['OPTIONS 204 0', `POST 201 ${source.size}`]);
  });

  test('an empty file is created and completed by one POST', async () => {
    const http = new RecordingHttp();
    const source = new File([], 'empty.txt', { type: 'text/plain' });
    const uploader = uploaders.create({ protocol: tus({ endpoint: '/files', http }) });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    await expectStoredExactly('/files', file, source);
    expect(file.progress).toBe(1);
    expect(http.sent.map((r) => r.method)).toEqual(['OPTIONS', 'POST']);
  });

  test('a non-ASCII file name and extra metadata round-trip through Upload-Metadata', async () => {
    const name = 'résumé 履歴書.txt';
    const source = new File(['Grüße, 世界\n'], name, { type: 'text/plain;charset=utf-8' });
    const uploader = uploaders.create({ protocol: tus({ endpoint: '/files-checksum' }), metadata: () => ({ note: 'naïve ✓' }) });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    await expectStoredExactly('/files-checksum', file, source);
    const metadata = await commands.storedMetadata('/files-checksum', file.url?.split('/').pop() ?? '');
    expect(metadata).toEqual({ filename: name, filetype: 'text/plain;charset=utf-8', note: 'naïve ✓' });
  });
});
