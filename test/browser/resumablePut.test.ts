import { commands } from 'vitest/browser';
import { memoryUrlStorage, resumablePut } from '../../src/index.js';
import { HoldingHttp, MiB, RecordingHttp, fileOf, randomFile, settled, sha256Hex, uploadId, uploaderTracker, waitForSnapshot } from './tusHarness.js';

/**
 * The third protocol, written only against lean-upload's public exports, in real Chromium against the
 * reference server (demo/server/createResumablePutHandler.ts): the same cases the tus tests pass.
 */
const uploaders = uploaderTracker();
afterEach(() => uploaders.checkAndDestroyAll());

const ENDPOINT = '/resumable';
const SIZE = 16 * MiB;
const oneMiBParts = { partSize: MiB, maxPartSize: MiB, memoryBudget: 4 * MiB };

async function expectStored(url: string | null, source: Blob): Promise<void> {
  const id = uploadId(url);
  expect(await commands.resumablePutSize(id)).toBe(source.size);
  expect(await commands.resumablePutSha256(id)).toBe(await sha256Hex(source));
}

describe('resumable PUT against the reference server', () => {
  test('a 16 MiB file in 1 MiB PUTs, and an empty file, are stored byte for byte', async () => {
    const http = new RecordingHttp();
    const uploader = uploaders.create({ protocol: resumablePut({ endpoint: ENDPOINT, http }), ...oneMiBParts });
    const source = randomFile(SIZE, 'put.bin');
    const empty = new File([], 'empty.txt');
    const [id = '', emptyId = ''] = uploader.add([source, empty]).accepted;
    const file = await settled(uploader, id);
    expect(file.status).toBe('completed');
    await expectStored(file.url, source);
    const puts = http.sent.filter((r) => r.method === 'PUT' && r.bodySize > 0);
    expect(puts).toHaveLength(16);
    expect(puts.every((r) => r.bodySize === MiB)).toBe(true);
    const emptyFile = await settled(uploader, emptyId);
    expect(emptyFile.status).toBe('completed');
    await expectStored(emptyFile.url, empty);
  });

  test('a NEW uploader for the same file resumes from the server\'s offset, sending less than the file', async () => {
    const storage = memoryUrlStorage();
    const bytes = randomFile(SIZE);
    const sameFile = (): File => new File([bytes], 'resume put.bin', { type: 'application/x-test', lastModified: 1_650_000_000_000 });
    // Four parts reach the server, the fifth waits: the first uploader is destroyed mid-way, at 4 MiB.
    const holding = new HoldingHttp(4, (r) => r.method === 'PUT' && !r.headers['Content-Range']?.startsWith('bytes */'));
    const first = uploaders.create({ protocol: resumablePut({ endpoint: ENDPOINT, http: holding }), ...oneMiBParts, resume: storage });
    const [firstId = ''] = first.add([sameFile()]).accepted;
    const early = await waitForSnapshot(first, (s) => fileOf(s, firstId).bytesAcknowledged >= 4 * MiB);
    first.destroy();

    const http = new RecordingHttp();
    const second = uploaders.create({ protocol: resumablePut({ endpoint: ENDPOINT, http }), ...oneMiBParts, resume: storage });
    const source = sameFile();
    const [id = ''] = second.add([source]).accepted;
    const file = await settled(second, id);
    expect(file.status).toBe('completed');
    expect(file.resumed).toBe(true);
    expect(file.url).toBe(fileOf(early, firstId).url);
    await expectStored(file.url, source);
    expect(http.sent.some((r) => r.method === 'POST')).toBe(false);
    expect(http.sent[0]?.headers['Content-Range']).toBe(`bytes */${SIZE}`);
    const sent = http.sent.filter((r) => r.method === 'PUT').reduce((sum, r) => sum + r.bodySize, 0);
    expect(sent).toBeLessThanOrEqual(SIZE - 4 * MiB);
  });

  test('cancel sends DELETE and the server keeps nothing of the upload', async () => {
    // Three parts reach the server, the fourth waits: the cancel comes mid-way, whatever the machine's speed.
    const http = new HoldingHttp(3, (r) => r.method === 'PUT' && !r.headers['Content-Range']?.startsWith('bytes */'));
    const uploader = uploaders.create({ protocol: resumablePut({ endpoint: ENDPOINT, http }), ...oneMiBParts });
    const [id = ''] = uploader.add([randomFile(SIZE, 'cancel.bin')]).accepted;
    const started = await waitForSnapshot(uploader, (s) => fileOf(s, id).bytesAcknowledged >= 2 * MiB);
    const onServer = uploadId(fileOf(started, id).url);
    expect(await commands.resumablePutSize(onServer)).toBeGreaterThanOrEqual(2 * MiB);

    await uploader.cancel(id);
    const file = fileOf(uploader.getSnapshot(), id);
    expect(file.status).toBe('canceled');
    expect(file.error).toBeNull();
    expect(http.sent.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([204]);
    expect(await commands.resumablePutSize(onServer)).toBeNull();
  });
});
