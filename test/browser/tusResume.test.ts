import { commands } from 'vitest/browser';
import { memoryUrlStorage, tus } from '../../src/index.js';
import {
  HoldingHttp,
  MiB,
  RecordingHttp,
  expectStoredExactly,
  fileOf,
  randomFile,
  settled,
  testScope,
  uploadId,
  uploaderTracker,
  waitForSnapshot,
} from './tusHarness.js';

const uploaders = uploaderTracker();
afterEach(() => uploaders.checkAndDestroyAll());

const SIZE = 16 * MiB;
const oneMiBParts = { partSize: MiB, maxPartSize: MiB, memoryBudget: 4 * MiB };

describe('pause, resume and cancel against a real @tus/server', () => {
  test('pause then resume continues the same upload and completes byte for byte', async () => {
    const scope = testScope();
    const source = randomFile(SIZE, 'pause.bin');
    // The fifth PATCH is held until the pause aborts it, so the pause lands mid-upload however fast the machine.
    const holding = new HoldingHttp(4, (r) => r.method === 'PATCH');
    const uploader = uploaders.create({ protocol: tus({ endpoint: '/files', http: holding }), ...oneMiBParts, headers: { 'X-Test-Scope': scope } });
    const [id = ''] = uploader.add([source]).accepted;
    const before = await waitForSnapshot(uploader, (s) => fileOf(s, id).bytesAcknowledged >= 4 * MiB);
    uploader.pause(id);
    holding.release();
    const paused = fileOf(uploader.getSnapshot(), id);
    expect(paused.status).toBe('paused');
    expect(paused.bytesAcknowledged).toBeLessThan(SIZE);
    const url = fileOf(before, id).url;

    uploader.resume(id);
    const file = await settled(uploader, id);
    await expectStoredExactly('/files', file, source);
    expect(file.url).toBe(url);
    const log = await commands.tusRequestLog('/files', scope);
    expect(log.filter((e) => e.method === 'POST')).toHaveLength(1);
    // Resuming asked the server where it stood instead of starting over.
    expect(log.some((e) => e.method === 'HEAD')).toBe(true);
    expect(log.filter((e) => e.method === 'PATCH' && e.uploadOffset === 0)).toHaveLength(1);
  });

  test('a NEW uploader for the same file resumes from the server\'s offset, sending less than the file', async () => {
    const storage = memoryUrlStorage();
    const bytes = randomFile(SIZE);
    const sameFile = (): File => new File([bytes], 'resume me.bin', { type: 'application/x-test', lastModified: 1_650_000_000_000 });

    const firstScope = testScope();
    // Four 1 MiB PATCHes go through, the fifth is held until destroy aborts it: the first uploader stops
    // at 4 MiB however fast the machine (a paced notification may come after more bytes went).
    const holding = new HoldingHttp(4, (r) => r.method === 'PATCH');
    const first = uploaders.create({
      protocol: tus({ endpoint: '/files', http: holding }), ...oneMiBParts, resume: storage, headers: { 'X-Test-Scope': firstScope },
    });
    const [firstId = ''] = first.add([sameFile()]).accepted;
    const early = await waitForSnapshot(first, (s) => fileOf(s, firstId).bytesAcknowledged >= 4 * MiB);
    first.destroy();

    const scope = testScope();
    const http = new RecordingHttp();
    const second = uploaders.create({
      protocol: tus({ endpoint: '/files', http }), ...oneMiBParts, resume: storage, headers: { 'X-Test-Scope': scope },
    });
    const source = sameFile();
    const [id = ''] = second.add([source]).accepted;
    const file = await settled(second, id);
    await expectStoredExactly('/files', file, source);
    expect(file.resumed).toBe(true);
    expect(file.url).toBe(fileOf(early, firstId).url);

    const log = await commands.tusRequestLog('/files', scope);
    expect(log.some((e) => e.method === 'POST')).toBe(false);
    const patches = log.filter((e) => e.method === 'PATCH');
    expect(patches[0]?.uploadOffset).toBeGreaterThanOrEqual(4 * MiB);
    const sentOnResume = http.sent.filter((r) => r.method === 'PATCH').reduce((sum, r) => sum + r.bodySize, 0);
    expect(sentOnResume).toBeLessThanOrEqual(SIZE - 4 * MiB);
    expect(sentOnResume).toBe(patches.reduce((sum, e) => sum + e.bytesStored, 0));
  });

  test('cancel sends DELETE and the server keeps nothing of the upload', async () => {
    const scope = testScope();
    const source = randomFile(SIZE, 'cancel.bin');
    // The third PATCH is held until the cancel aborts it: without it, the upload could finish while the
    // test asks the server about it (it did, 1 run in 9).
    const holding = new HoldingHttp(2, (r) => r.method === 'PATCH');
    const uploader = uploaders.create({ protocol: tus({ endpoint: '/files', http: holding }), ...oneMiBParts, headers: { 'X-Test-Scope': scope } });
    const [id = ''] = uploader.add([source]).accepted;
    const started = await waitForSnapshot(uploader, (s) => fileOf(s, id).bytesAcknowledged >= 2 * MiB);
    const uploadOnServer = uploadId(fileOf(started, id).url);
    expect(await commands.uploadExists('/files', uploadOnServer)).toBe(true);

    await uploader.cancel(id);
    const file = fileOf(uploader.getSnapshot(), id);
    expect(file.status).toBe('canceled');
    expect(file.error).toBeNull();
    const deletes = (await commands.tusRequestLog('/files', scope)).filter((e) => e.method === 'DELETE');
    expect(deletes.map((e) => [e.id, e.status])).toEqual([[uploadOnServer, 204]]);
    expect(await commands.uploadExists('/files', uploadOnServer)).toBe(false);
  });
});
