import { commands } from 'vitest/browser';
import { memoryUrlStorage, tus } from '../../src/index.js';
import type { UploadError } from '../../src/index.js';
import { MiB, expectStoredExactly, fileOf, randomFile, settled, testScope, uploaderTracker, waitForSnapshot } from './tusHarness.js';

const uploaders = uploaderTracker();
afterEach(() => uploaders.checkAndDestroyAll());

const SIZE = 16 * MiB;
const oneMiBParts = { partSize: MiB, maxPartSize: MiB, memoryBudget: 4 * MiB };

describe('a real @tus/server that never answers', () => {
  test('a HEAD on resume with no answer times out, is retried, and the upload completes byte for byte', async () => {
    const storage = memoryUrlStorage();
    const bytes = randomFile(SIZE);
    const sameFile = (): File => new File([bytes], 'hung head.bin', { type: 'application/x-test', lastModified: 1_650_000_000_000 });

    // The first page's fifth PATCH gets no answer, so the server keeps 4-5 MiB of the 16 however fast
    // the page sends (on loopback it could otherwise send the whole file before the snapshot says 4 MiB,
    // and the second page would find nothing to resume).
    const firstScope = testScope();
    await commands.injectFault('/files', { type: 'hang', method: 'PATCH', ms: 600_000, scope: firstScope, skip: 4 });
    const first = uploaders.create({
      protocol: tus({ endpoint: '/files' }), ...oneMiBParts, resume: storage, headers: { 'X-Test-Scope': firstScope },
    });
    const [firstId = ''] = first.add([sameFile()]).accepted;
    const early = await waitForSnapshot(first, (s) => fileOf(s, firstId).bytesAcknowledged >= 4 * MiB);
    first.destroy();

    const scope = testScope();
    // Far longer than the test may run: only the response timeout can get past it.
    await commands.injectFault('/files', { type: 'hang', method: 'HEAD', ms: 600_000, scope });
    const retried: UploadError[] = [];
    const second = uploaders.create({
      protocol: tus({ endpoint: '/files' }),
      ...oneMiBParts,
      resume: storage,
      responseTimeout: 1500,
      retry: { delays: [0], shouldRetry: (error) => retried.push(error) > 0 },
      headers: { 'X-Test-Scope': scope },
    });
    const source = sameFile();
    const [id = ''] = second.add([source]).accepted;
    const file = await settled(second, id);
    await expectStoredExactly('/files', file, source);
    expect(file).toMatchObject({ resumed: true, url: fileOf(early, firstId).url });

    expect(retried.map((e) => [e.code, e.request?.method])).toEqual([['timeout', 'HEAD']]);
    const log = await commands.tusRequestLog('/files', scope);
    // The hung HEAD ended when the browser hung up (status 0); the retried one was answered.
    expect(log.filter((e) => e.method === 'HEAD').map((e) => e.status)).toEqual([0, 200]);
    expect(log.some((e) => e.method === 'POST')).toBe(false);
    expect(log.find((e) => e.method === 'PATCH')?.uploadOffset).toBeGreaterThanOrEqual(4 * MiB);
  });
});
