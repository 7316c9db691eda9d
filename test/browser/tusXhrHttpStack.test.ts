import { commands } from 'vitest/browser';
import { UploadError } from '../../src/index.js';
import { XhrHttpStack } from '../../src/protocols/index.js';
import { MiB, randomFile, sha256Hex, testScope } from './tusHarness.js';

const tusHeaders = { 'Tus-Resumable': '1.0.0' };

function creation(size: number, scope: string): Record<string, string> {
  return { ...tusHeaders, 'Upload-Length': String(size), 'Content-Type': 'application/offset+octet-stream', 'X-Test-Scope': scope };
}

describe('XhrHttpStack in Chromium against the real tus server', () => {
  test('sends a Blob body as is, reports upload progress up to its size, and reads headers case-insensitively', async () => {
    const http = new XhrHttpStack();
    const body = randomFile(4 * MiB);
    const progress: number[] = [];
    const response = await http.send({
      method: 'POST', url: '/files', headers: creation(body.size, testScope()), body,
      onUploadProgress: (loaded) => progress.push(loaded),
    });
    expect(response.status).toBe(201);
    expect(response.header('upload-offset')).toBe(String(body.size));
    expect(response.header('LOCATION')).toMatch(/^\/files\/[0-9a-f]+$/);
    expect(response.header('X-Not-There')).toBeNull();
    expect(progress.at(-1)).toBe(body.size);
    const id = response.header('location')?.split('/').pop() ?? '';
    expect(await commands.storedSha256('/files', id)).toBe(await sha256Hex(body));
  });

  test('a Uint8Array body sends exactly the bytes of the view, not the whole buffer behind it', async () => {
    const http = new XhrHttpStack();
    const whole = new Uint8Array(1000).map((_, i) => i % 251);
    const view = whole.subarray(100, 400);
    const response = await http.send({ method: 'POST', url: '/files', headers: creation(view.byteLength, testScope()), body: view });
    expect(response.status).toBe(201);
    const id = response.header('location')?.split('/').pop() ?? '';
    expect(await commands.storedSha256('/files', id)).toBe(await sha256Hex(new Blob([view.slice()])));
  });

  test('an error status is a response, not a rejection', async () => {
    const response = await new XhrHttpStack().send({ method: 'HEAD', url: '/files/0123456789abcdef', headers: tusHeaders });
    expect(response.status).toBe(404);
    expect(response.header('tus-resumable')).toBe('1.0.0');
  });

  test('aborting the signal mid-body rejects with an aborted UploadError naming the request', async () => {
    const controller = new AbortController();
    const body = randomFile(64 * MiB);
    const sending = new XhrHttpStack().send({
      method: 'POST', url: '/files', headers: creation(body.size, testScope()), body, signal: controller.signal,
      onUploadProgress: () => controller.abort(),
    });
    await expect(sending).rejects.toSatisfy((error) =>
      error instanceof UploadError && error.code === 'aborted' && error.request?.method === 'POST');
  });

  test('an already aborted signal sends nothing', async () => {
    const scope = testScope();
    const controller = new AbortController();
    controller.abort();
    const sending = new XhrHttpStack().send({ method: 'OPTIONS', url: '/files', headers: { 'X-Test-Scope': scope }, signal: controller.signal });
    await expect(sending).rejects.toMatchObject({ code: 'aborted' });
    // A request that did reach the server would be logged under this scope.
    await new XhrHttpStack().send({ method: 'OPTIONS', url: '/files', headers: { 'X-Test-Scope': scope } });
    expect((await commands.tusRequestLog('/files', scope)).length).toBe(1);
  });

  test('no answer at all (connection refused) is a network UploadError with the request', async () => {
    const sending = new XhrHttpStack().send({ method: 'OPTIONS', url: 'http://127.0.0.1:9/files', headers: {} });
    await expect(sending).rejects.toMatchObject({ code: 'network', request: { method: 'OPTIONS', url: 'http://127.0.0.1:9/files' } });
  });
});
