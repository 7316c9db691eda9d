import { commands } from 'vitest/browser';
import { tus } from '../../src/index.js';
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
