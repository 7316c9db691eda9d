import { commands } from 'vitest/browser';
import { tus, XhrHttpStack } from '../../src/index.js';
import type { HeadersContext, HttpRequest, HttpResponse, HttpStack } from '../../src/index.js';
import { MiB, expectStoredExactly, randomFile, settled, testScope, uploadId, uploaderTracker } from './tusHarness.js';

/**
 * Where uploads really fail (issue 9): body limits, expired credentials, a server that lost bytes or
 * the whole upload, a full disk. Faults sit in front of a real @tus/server (demo/server/TusFaults.ts)
 * or act on its store between two requests, never while one is being written.
 */
const uploaders = uploaderTracker();
afterEach(() => uploaders.checkAndDestroyAll());

const oneMiBParts = { partSize: MiB, maxPartSize: MiB, memoryBudget: 4 * MiB, retry: { delays: [0] } };

/** XHR that first runs `before` for each PATCH (1-based), when no other request of the upload is in flight. */
class HookedHttp implements HttpStack {
  readonly #inner = new XhrHttpStack();
  #patches = 0;
  constructor(private readonly before: (patch: number, url: string) => Promise<void>) {}

  async send(request: HttpRequest): Promise<HttpResponse> {
    if (request.method === 'PATCH') await this.before(++this.#patches, request.url);
    return this.#inner.send(request);
  }
}

describe('body limits: a proxy that refuses bodies over a size (413)', () => {
  test('parts shrink until they pass, the file is stored byte for byte, and the next file starts at the size that worked', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'body-limit', method: 'PATCH', maxBytes: 3 * MiB, action: 'status', scope });
    try {
      const uploader = uploaders.create({ protocol: tus({ endpoint: '/files' }), partSize: 8 * MiB, maxPartSize: 8 * MiB, headers: { 'X-Test-Scope': scope } });
      const big = randomFile(12 * MiB, 'big.bin');
      const [id = ''] = uploader.add([big]).accepted;
      const file = await settled(uploader, id);
      await expectStoredExactly('/files', file, big);
      expect(file.attempt).toBe(0);
      const patches = (await commands.tusRequestLog('/files', scope)).filter((e) => e.method === 'PATCH');
      expect(patches.map((e) => e.status)).toEqual([413, 413, 204, 204, 204, 204, 204, 204]);
      expect(patches.filter((e) => e.status === 204).every((e) => e.bytesStored === 2 * MiB)).toBe(true);

      const next = randomFile(5 * MiB, 'next.bin');
      const [nextId = ''] = uploader.add([next]).accepted;
      const nextFile = await settled(uploader, nextId);
      await expectStoredExactly('/files', nextFile, next);
      const all = (await commands.tusRequestLog('/files', scope)).filter((e) => e.method === 'PATCH');
      expect(all.slice(patches.length).map((e) => e.status)).toEqual([204, 204, 204]);
    } finally {
      await commands.clearFaults('/files');
    }
  });

  test('behind a limit below the smallest part, a clear error names the refused size', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'body-limit', method: 'PATCH', maxBytes: 512 * 1024, action: 'status', scope });
    try {
      const uploader = uploaders.create({ protocol: tus({ endpoint: '/files' }), partSize: 2 * MiB, maxPartSize: 2 * MiB, headers: { 'X-Test-Scope': scope } });
      const [id = ''] = uploader.add([randomFile(3 * MiB, 'limited.bin')]).accepted;
      const file = await settled(uploader, id);
      expect(file.status).toBe('failed');
      expect(file.error?.response?.status).toBe(413);
      expect(file.error?.message).toContain(`bodies of ${MiB} bytes refused (413), even at the smallest part size`);
      const patches = (await commands.tusRequestLog('/files', scope)).filter((e) => e.method === 'PATCH');
      expect(patches.map((e) => e.status)).toEqual([413, 413]);
    } finally {
      await commands.clearFaults('/files');
    }
  });
});

describe('expired credentials (401 mid-upload)', () => {
  test('headers() is told the answer was refused, fresh credentials go once, and the file completes', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'fail', method: 'PATCH', status: 401, scope });
    const asked: HeadersContext[] = [];
    const source = randomFile(4 * MiB, 'token.bin');
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files' }), ...oneMiBParts,
      headers: (context) => {
        asked.push(context);
        return { 'X-Test-Scope': scope };
      },
    });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    await expectStoredExactly('/files', file, source);
    expect(asked.filter((c) => c.refused)).toHaveLength(1);
    const patches = (await commands.tusRequestLog('/files', scope)).filter((e) => e.method === 'PATCH');
    expect(patches.map((e) => e.status)).toEqual([401, 204, 204, 204, 204]);
  });

  test('a second refusal fails the file as unauthorized; retry() continues from the server\'s offset', async () => {
    const scope = testScope();
    const source = randomFile(4 * MiB, 'refused.bin');
    const http = new HookedHttp(async (patch) => {
      if (patch === 3) await commands.injectFault('/files', { type: 'fail', method: 'PATCH', status: 401, times: 2, scope });
    });
    const uploader = uploaders.create({ protocol: tus({ endpoint: '/files', http }), ...oneMiBParts, headers: () => ({ 'X-Test-Scope': scope }) });
    const [id = ''] = uploader.add([source]).accepted;
    const failed = await settled(uploader, id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('unauthorized');

    uploader.retry(id);
    const file = await settled(uploader, id);
    await expectStoredExactly('/files', file, source);
    const log = await commands.tusRequestLog('/files', scope);
    expect(log.filter((e) => e.method === 'POST')).toHaveLength(1);
    const afterRetry = log.slice(log.findLastIndex((e) => e.status === 401) + 1);
    expect(afterRetry[0]?.method).toBe('HEAD');
    expect(afterRetry.find((e) => e.method === 'PATCH')?.uploadOffset).toBe(2 * MiB);
  });
});

describe('server-side surprises', () => {
  test('a server that lost the tail it acknowledged: the file goes back to its offset, says so, and is stored byte for byte', async () => {
    const scope = testScope();
    const source = randomFile(8 * MiB, 'lost-tail.bin');
    const http = new HookedHttp(async (patch, url) => {
      if (patch === 5) await commands.truncateStored('/files', uploadId(url), 1.5 * MiB);
    });
    const uploader = uploaders.create({ protocol: tus({ endpoint: '/files', http }), ...oneMiBParts, headers: { 'X-Test-Scope': scope } });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    await expectStoredExactly('/files', file, source);
    expect(file.notice).toBe('rewound');
    const patches = (await commands.tusRequestLog('/files', scope)).filter((e) => e.method === 'PATCH');
    expect(patches[4]?.status).toBe(409);
    expect(patches[5]?.uploadOffset).toBe(1.5 * MiB);
  });

  test('an upload deleted mid-way starts afresh with a note, and the new one is stored byte for byte', async () => {
    const scope = testScope();
    const source = randomFile(4 * MiB, 'deleted.bin');
    let first: string | null = null;
    const http = new HookedHttp(async (patch, url) => {
      if (patch !== 3) return;
      first = uploadId(url);
      await commands.removeStored('/files', first);
    });
    const uploader = uploaders.create({ protocol: tus({ endpoint: '/files', http }), ...oneMiBParts, headers: { 'X-Test-Scope': scope } });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    await expectStoredExactly('/files', file, source);
    expect(file.notice).toBe('restarted');
    expect(file.attempt).toBe(0);
    expect(uploadId(file.url)).not.toBe(first);
    const log = await commands.tusRequestLog('/files', scope);
    expect(log.filter((e) => e.method === 'POST')).toHaveLength(2);
    expect(log.map((e) => `${e.method} ${e.status}`)).toContain('HEAD 404');
  });

  test('507 (storage full) fails clearly at once, without a retry storm', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'fail', method: 'PATCH', status: 507, times: 3, scope });
    try {
      const uploader = uploaders.create({ protocol: tus({ endpoint: '/files' }), ...oneMiBParts, retry: { delays: [0, 0, 0] }, headers: { 'X-Test-Scope': scope } });
      const [id = ''] = uploader.add([randomFile(2 * MiB, 'full.bin')]).accepted;
      const file = await settled(uploader, id);
      expect(file.status).toBe('failed');
      expect(file.error?.response?.status).toBe(507);
      const patches = (await commands.tusRequestLog('/files', scope)).filter((e) => e.method === 'PATCH');
      expect(patches.map((e) => e.status)).toEqual([507]);
    } finally {
      await commands.clearFaults('/files');
    }
  });
});
