import { commands } from 'vitest/browser';
import { memoryUrlStorage, tus } from '../../src/index.js';
import type { HeadersContext } from '../../src/core/types.js';
import { MiB, expectStoredExactly, randomFile, settled, testScope, uploadId, uploaderTracker } from './tusHarness.js';

/**
 * What sits in front of or under a real @tus/server (demo/server/intermediaryFaults.ts): a proxy that
 * caps bodies (413, or a cut at a byte count), a token that expires, a server that restarts without
 * the tail it acknowledged, an upload deleted mid-way. First the faults themselves, seen through
 * plain fetch; then the uploader behind them, where it already copes.
 */

const uploaders = uploaderTracker();
afterEach(() => uploaders.checkAndDestroyAll());
afterEach(() => commands.clearFaults('/files'));

const TUS = { 'Tus-Resumable': '1.0.0' };

async function createUpload(scope: string, size: number): Promise<string> {
  const response = await fetch('/files', { method: 'POST', headers: { ...TUS, 'Upload-Length': String(size), 'X-Test-Scope': scope } });
  expect(response.status).toBe(201);
  const location = response.headers.get('Location');
  if (!location) throw new Error('no Location');
  return new URL(location, location.startsWith('http') ? undefined : window.location.href).href;
}

function patch(url: string, scope: string, offset: number, body: Blob, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'PATCH',
    headers: { ...TUS, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream', 'X-Test-Scope': scope, ...extra },
    body,
  });
}

async function serverOffset(url: string, scope: string): Promise<number | null> {
  const response = await fetch(url, { method: 'HEAD', headers: { ...TUS, 'X-Test-Scope': scope } });
  return response.ok ? Number(response.headers.get('Upload-Offset')) : null;
}

describe('the faults, seen through fetch', () => {
  test('body-limit status: a body over the limit is answered 413 and nothing is stored; one under it goes through', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'body-limit', method: 'PATCH', maxBytes: MiB, action: 'status', scope });
    const url = await createUpload(scope, 3 * MiB);
    const over = await patch(url, scope, 0, randomFile(MiB + 1));
    expect(over.status).toBe(413);
    expect(await serverOffset(url, scope)).toBe(0);
    const under = await patch(url, scope, 0, randomFile(MiB));
    expect(under.status).toBe(204);
    expect(await serverOffset(url, scope)).toBe(MiB);
  });

  test('body-limit cut: the connection drops after exactly the limit, which the server keeps', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'body-limit', method: 'PATCH', maxBytes: MiB, action: 'cut', scope });
    const url = await createUpload(scope, 4 * MiB);
    const outcome = await patch(url, scope, 0, randomFile(3 * MiB)).then(
      (response) => `HTTP ${response.status}`,
      (error: unknown) => (error instanceof TypeError ? 'network error' : String(error)),
    );
    // Chromium resends a request whose reused connection dropped before an answer: that resend, at
    // offset 0 against the server's 1 MiB, gets 409. Either way no success reaches the page.
    expect(['network error', 'HTTP 409']).toContain(outcome);
    await expect.poll(() => serverOffset(url, scope)).toBe(MiB);
  });

  test('token-expiry: the first token is good for N requests, then 401 until another token comes', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'token-expiry', method: '*', validRequests: 2, scope });
    const head = (token: string): Promise<number> =>
      fetch('/files', { method: 'OPTIONS', headers: { ...TUS, Authorization: `Bearer ${token}`, 'X-Test-Scope': scope } }).then((r) => r.status);
    expect([await head('old'), await head('old'), await head('old')]).toEqual([204, 204, 401]);
    expect(await head('new')).toBe(204);
    expect(await head('new')).toBe(204);
    expect(await head('old')).toBe(401);
  });

  test('lose-tail: the request fails and HEAD then answers less than the server had acknowledged', async () => {
    const scope = testScope();
    const url = await createUpload(scope, 3 * MiB);
    expect((await patch(url, scope, 0, randomFile(2 * MiB))).status).toBe(204);
    await commands.injectFault('/files', { type: 'lose-tail', method: 'PATCH', keepBytes: MiB / 2, scope });
    expect((await patch(url, scope, 2 * MiB, randomFile(MiB))).status).toBe(503);
    expect(await serverOffset(url, scope)).toBe(MiB / 2);
  });

  test('delete-upload: the request is answered 410 and the upload is gone', async () => {
    const scope = testScope();
    const url = await createUpload(scope, 2 * MiB);
    expect((await patch(url, scope, 0, randomFile(MiB))).status).toBe(204);
    await commands.injectFault('/files', { type: 'delete-upload', method: 'PATCH', status: 410, scope });
    expect((await patch(url, scope, MiB, randomFile(MiB))).status).toBe(410);
    expect(await serverOffset(url, scope)).toBeNull();
    expect(await commands.uploadExists('/files', uploadId(url))).toBe(false);
  });

  test('skip: a fault lets the first matching requests through and hits the next one', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'fail', method: 'PATCH', status: 507, skip: 2, scope });
    const url = await createUpload(scope, 4 * MiB);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await patch(url, scope, Math.min(i, 2) * MiB, randomFile(MiB))).status);
    expect(statuses).toEqual([204, 204, 507, 204]);
  });
});

describe('the uploader behind them', () => {
  test('a server that lost the acknowledged tail: the file goes back to the server offset and is stored byte for byte, never short', async () => {
    const scope = testScope();
    // The third PATCH finds the server restarted with only 1.5 MiB of the 2 MiB it had acknowledged.
    await commands.injectFault('/files', { type: 'lose-tail', method: 'PATCH', keepBytes: 1.5 * MiB, skip: 2, scope });
    const source = randomFile(4 * MiB, 'lost-tail.bin');
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files' }), partSize: MiB, maxPartSize: MiB, memoryBudget: 4 * MiB,
      retry: { delays: [0] }, headers: { 'X-Test-Scope': scope },
    });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    await expectStoredExactly('/files', file, source);
    // The snapshot says the server went back: the page may tell the user why the bar moved back.
    expect(file.notice).toBe('rewound');
    const log = await commands.tusRequestLog('/files', scope);
    const patches = log.filter((entry) => entry.method === 'PATCH');
    expect(patches.map((entry) => [entry.uploadOffset, entry.status])).toEqual([
      [0, 204], [MiB, 204], [2 * MiB, 503], [1.5 * MiB, 204], [2.5 * MiB, 204], [3.5 * MiB, 204],
    ]);
  });

  test('behind a proxy with a 1 MiB body limit, parts that fit go through untouched', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'body-limit', method: '*', maxBytes: MiB, action: 'status', scope });
    const source = randomFile(5 * MiB + 3, 'fits.bin');
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files' }), partSize: MiB, maxPartSize: MiB, memoryBudget: 4 * MiB, headers: { 'X-Test-Scope': scope },
    });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    await expectStoredExactly('/files', file, source);
    const log = await commands.tusRequestLog('/files', scope);
    expect(log.every((entry) => entry.status < 300)).toBe(true);
    expect(log.filter((entry) => entry.method === 'PATCH').length).toBeGreaterThanOrEqual(4);
  });
});

describe('the uploader behind body limits, expiring tokens and vanishing uploads', () => {
  const MB = 1_000_000;

  test('behind a 100 MB body limit (413), an oversized part shrinks and goes again; the next file never exceeds it', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'body-limit', method: '*', maxBytes: 100 * MB, action: 'status', scope });
    const sources = [randomFile(110 * MiB, 'big-1.bin'), randomFile(110 * MiB, 'big-2.bin')];
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files' }), partSize: 128 * MiB, maxPartSize: 256 * MiB, concurrency: 1,
      retry: { delays: [0, 0, 0] }, headers: { 'X-Test-Scope': scope },
    });
    const ids = uploader.add(sources).accepted;
    for (const [i, id] of ids.entries()) await expectStoredExactly('/files', await settled(uploader, id), sources[i]!);
    // The first request with a body (the creating POST or a PATCH) is refused once; nothing after it.
    const log = await commands.tusRequestLog('/files', scope);
    expect(log.filter((entry) => entry.status === 413)).toHaveLength(1);
    expect(log.every((entry) => entry.bytesStored <= 100 * MB)).toBe(true);
  });

  test('behind a proxy that cuts bodies at 4 MiB, parts shrink below the cut and the file is stored byte for byte', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'body-limit', method: '*', maxBytes: 4 * MiB, action: 'cut', scope });
    const source = randomFile(40 * MiB + 9, 'cut.bin');
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files' }), partSize: 16 * MiB, retry: { delays: [0, 0, 0, 0] }, headers: { 'X-Test-Scope': scope },
    });
    const [id = ''] = uploader.add([source]).accepted;
    await expectStoredExactly('/files', await settled(uploader, id), source);
  });

  // nginx's default client_max_body_size (1m) lets a body of exactly 1 MiB through, the smallest part
  // size, so that limit costs nothing (see 'parts that fit' above); a limit just below it cannot be met.
  test('behind a body limit below the 1 MiB floor, the file fails once the floor is reached, with an error that names the limit, and no retry storm', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'body-limit', method: '*', maxBytes: MiB - 1, action: 'status', scope });
    const source = randomFile(20 * MiB, 'nginx.bin');
    const uploader = uploaders.create({ protocol: tus({ endpoint: '/files' }), partSize: 8 * MiB, headers: { 'X-Test-Scope': scope } });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    expect(file.status).toBe('failed');
    expect(file.error?.response?.status).toBe(413);
    expect(file.error?.message).toMatch(/limit/i);
    const refused = (await commands.tusRequestLog('/files', scope)).filter((entry) => entry.status === 413);
    expect(refused.length).toBeLessThanOrEqual(8);
  });

  test('a token that expires mid-upload: 401 calls headers again, the fresh token is used, and the file completes', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'token-expiry', method: '*', validRequests: 3, scope });
    let generation = 1;
    const calls: boolean[] = [];
    const source = randomFile(8 * MiB, 'token.bin');
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files' }), partSize: MiB, maxPartSize: MiB,
      // After a 401 the engine calls headers({ refused: true }) once for fresh credentials.
      headers: ({ refused }: HeadersContext) => {
        calls.push(refused);
        if (refused) generation++;
        return { 'X-Test-Scope': scope, Authorization: `Bearer t${generation}` };
      },
    });
    const [id = ''] = uploader.add([source]).accepted;
    await expectStoredExactly('/files', await settled(uploader, id), source);
    expect(calls.filter(Boolean)).toHaveLength(1);
    const log = await commands.tusRequestLog('/files', scope);
    expect(log.filter((entry) => entry.status === 401)).toHaveLength(1);
  });

  test('a 403 on the HEAD of a resume asks headers() for fresh credentials and resumes the same upload (not a fresh start)', async () => {
    const storage = memoryUrlStorage();
    const bytes = randomFile(4 * MiB);
    const sameFile = (): File => new File([bytes], 'head-403.bin', { lastModified: 1_670_000_000_000 });
    const parts = { partSize: MiB, maxPartSize: MiB, memoryBudget: 4 * MiB, resume: storage };
    // A first page stops after 2 MiB (a 507 on its third PATCH, never retried), keeping its record.
    const firstScope = testScope();
    await commands.injectFault('/files', { type: 'fail', method: 'PATCH', status: 507, skip: 2, scope: firstScope });
    const first = uploaders.create({ protocol: tus({ endpoint: '/files' }), ...parts, headers: { 'X-Test-Scope': firstScope, Authorization: 'Bearer old' } });
    const [firstId = ''] = first.add([sameFile()]).accepted;
    const stopped = await settled(first, firstId);
    expect([stopped.status, stopped.bytesAcknowledged]).toEqual(['failed', 2 * MiB]);
    first.destroy();

    // The next page's first token has expired: its HEAD is refused with 403.
    const scope = testScope();
    await commands.injectFault('/files', { type: 'token-expiry', method: 'HEAD', validRequests: 0, status: 403, scope });
    const calls: boolean[] = [];
    const later = uploaders.create({
      protocol: tus({ endpoint: '/files' }), ...parts,
      headers: ({ refused }: HeadersContext) => {
        calls.push(refused);
        return { 'X-Test-Scope': scope, Authorization: refused || calls.some(Boolean) ? 'Bearer fresh' : 'Bearer old' };
      },
    });
    const source = sameFile();
    const [id = ''] = later.add([source]).accepted;
    const file = await settled(later, id);
    await expectStoredExactly('/files', file, source);
    expect(file.resumed).toBe(true);
    expect(calls.filter(Boolean)).toHaveLength(1);
    const log = await commands.tusRequestLog('/files', scope);
    expect(log.filter((entry) => entry.method === 'HEAD').map((entry) => entry.status)).toEqual([403, 200]);
    expect(log.filter((entry) => entry.method === 'POST')).toHaveLength(0);
    expect(log.find((entry) => entry.method === 'PATCH')?.uploadOffset).toBe(2 * MiB);
  });

  test('a token that is refused again fails the file with unauthorized; retry() continues from the server offset', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'token-expiry', method: '*', validRequests: 3, scope });
    let token = 'stale';
    const source = randomFile(8 * MiB, 'refused.bin');
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files' }), partSize: MiB, maxPartSize: MiB,
      headers: () => ({ 'X-Test-Scope': scope, Authorization: `Bearer ${token}` }),
    });
    const [id = ''] = uploader.add([source]).accepted;
    const failed = await settled(uploader, id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('unauthorized');
    const acknowledged = failed.bytesAcknowledged;
    expect(acknowledged).toBeGreaterThan(0);
    token = 'fresh';
    uploader.retry(id);
    await expectStoredExactly('/files', await settled(uploader, id), source);
    const log = await commands.tusRequestLog('/files', scope);
    expect(log.filter((entry) => entry.method === 'POST')).toHaveLength(1);
  });

  test('an upload deleted mid-way (410) starts afresh and is stored byte for byte at a new URL', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'delete-upload', method: 'PATCH', status: 410, skip: 2, scope });
    const source = randomFile(5 * MiB, 'gone.bin');
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files' }), partSize: MiB, maxPartSize: MiB, retry: { delays: [0] }, headers: { 'X-Test-Scope': scope },
    });
    const [id = ''] = uploader.add([source]).accepted;
    await expectStoredExactly('/files', await settled(uploader, id), source);
    const log = await commands.tusRequestLog('/files', scope);
    expect(log.filter((entry) => entry.method === 'POST')).toHaveLength(2);
  });

  test('a 507 (storage full) fails the file at once: one PATCH, no retries', async () => {
    const scope = testScope();
    await commands.injectFault('/files', { type: 'fail', method: 'PATCH', status: 507, times: 10, scope });
    const source = randomFile(3 * MiB, 'full.bin');
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files' }), partSize: MiB, maxPartSize: MiB, retry: { delays: [0, 0, 0] }, headers: { 'X-Test-Scope': scope },
    });
    const [id = ''] = uploader.add([source]).accepted;
    const file = await settled(uploader, id);
    expect(file.status).toBe('failed');
    expect(file.error?.response?.status).toBe(507);
    const patches = (await commands.tusRequestLog('/files', scope)).filter((entry) => entry.method === 'PATCH');
    expect(patches).toHaveLength(1);
  });
});
