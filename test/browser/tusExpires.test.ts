import { commands } from 'vitest/browser';
import { memoryUrlStorage, tus } from '../../src/index.js';
import type { Clock, HttpStack, ResumeRecord } from '../../src/index.js';
import { XhrHttpStack } from '../../src/protocols/index.js';
import { MiB, expectStoredExactly, randomFile, settled, testScope, uploadId, uploaderTracker } from './tusHarness.js';

/**
 * Upload-Expires (tus expiration extension) in the resume records, against the real @tus/server
 * (its uploads expire 24 h after creation): a record keeps the server's date, not the uploader's
 * resumeTtl, and a record past it is not resumed.
 */

const uploaders = uploaderTracker();
afterEach(() => uploaders.checkAndDestroyAll());

const HOUR = 60 * 60 * 1000;
const parts = { partSize: MiB, maxPartSize: MiB, memoryBudget: 4 * MiB };

/** Real timers, with the date moved on by `ahead` ms: a page opened that much later. */
function laterClock(ahead: number): Clock {
  return { now: () => Date.now() + ahead, setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as number) };
}

async function recordsOf(storage: ReturnType<typeof memoryUrlStorage>): Promise<ResumeRecord[]> {
  return [...((await storage.list?.()) ?? [])].map(([, record]) => record);
}

test('a resume record keeps the Upload-Expires the server sent, and a record past it is not resumed', async () => {
  const storage = memoryUrlStorage();
  const bytes = randomFile(4 * MiB);
  const sameFile = (): File => new File([bytes], 'expires.bin', { lastModified: 1_660_000_000_000 });
  const scope = testScope();
  // resumeTtl of 1 h: a record that says 24 h can only have its date from the server.
  // The creating POST's answer, as the page received it.
  let created: string | null = null;
  const xhr = new XhrHttpStack();
  const http: HttpStack = {
    async send(request) {
      const response = await xhr.send(request);
      if (request.method === 'POST') created = response.header('Upload-Expires');
      return response;
    },
  };
  // The first page stops after 1 MiB (a 507 on its second PATCH, never retried), keeping its record.
  await commands.injectFault('/files', { type: 'fail', method: 'PATCH', status: 507, skip: 1, scope });
  const first = uploaders.create({ protocol: tus({ endpoint: '/files', http }), ...parts, resume: storage, resumeTtl: HOUR, headers: { 'X-Test-Scope': scope } });
  const [firstId = ''] = first.add([sameFile()]).accepted;
  const stopped = await settled(first, firstId);
  expect([stopped.status, stopped.bytesAcknowledged]).toEqual(['failed', MiB]);
  const url = stopped.url;
  const expires = Date.parse(created ?? '');
  expect(expires).toBeGreaterThan(Date.now() + 23 * HOUR);
  const [record] = await recordsOf(storage);
  expect(record?.url).toBe(url);
  expect(record?.expiresAt).toBe(expires);

  // A page opened 25 h later: the server has expired the upload (Upload-Expires passed), so the
  // record is dropped and the file starts afresh instead of asking for an upload that is gone.
  const laterScope = testScope();
  const later = uploaders.create({
    protocol: tus({ endpoint: '/files' }), ...parts, resume: storage, clock: laterClock(25 * HOUR), headers: { 'X-Test-Scope': laterScope },
  });
  const source = sameFile();
  const [id = ''] = later.add([source]).accepted;
  const file = await settled(later, id);
  await expectStoredExactly('/files', file, source);
  expect(file.resumed).toBe(false);
  expect(uploadId(file.url)).not.toBe(uploadId(url));
  const log = await commands.tusRequestLog('/files', laterScope);
  expect(log.filter((entry) => entry.method === 'HEAD')).toHaveLength(0);
  expect(log.filter((entry) => entry.method === 'POST')).toHaveLength(1);
  expect(await recordsOf(storage)).toEqual([]);
});
