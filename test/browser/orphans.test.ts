import { commands } from 'vitest/browser';
import { tus } from '../../src/index.js';
import type { HttpStack } from '../../src/index.js';
import { XhrHttpStack } from '../../src/protocols/index.js';
import { expectStoredExactly, randomFile, settled, testScope, uploaderTracker, waitForSnapshot } from './tusHarness.js';

/**
 * A file paused or canceled while its creating POST is under way: the server makes the upload
 * whatever the page does, so the POST is let finish (PartRequest.creationSignal) and the page learns
 * its URL. Found by the soak: before, the POST was aborted and the upload was left on the server.
 */

const uploaders = uploaderTracker();
afterEach(() => uploaders.checkAndDestroyAll());
afterEach(() => commands.clearFaults('/files'));

async function storedCount(name: string): Promise<number> {
  const found = await commands.storedUploadsByName('/files', name);
  return found[name]?.length ?? 0;
}

test('a file canceled while its creating POST is under way leaves nothing on the server', async () => {
  const scope = testScope();
  const name = `orphan-${scope}.bin`;
  // The creating POST (creation-with-upload: the whole small file) stalls after 1000 bytes: the server
  // has made the upload, the page has no Location yet.
  await commands.injectFault('/files', { type: 'stall', method: 'POST', afterBytes: 1000, ms: 1500, scope });
  const uploader = uploaders.create({ protocol: tus({ endpoint: '/files' }), headers: { 'X-Test-Scope': scope } });
  const [id = ''] = uploader.add([randomFile(100 * 1024, name)]).accepted;
  const sending = await waitForSnapshot(uploader, (s) => (s.files[0]?.bytesSent ?? 0) > 0);
  expect(sending.files[0]?.url).toBeNull();
  await uploader.cancel(id);
  expect(uploader.getSnapshot().files[0]?.status).toBe('canceled');
  expect(await storedCount(name)).toBe(0);
  const log = await commands.tusRequestLog('/files', scope);
  expect(log.map((entry) => [entry.method, entry.status])).toEqual([
    ['OPTIONS', 204],
    ['POST', 201],
    ['DELETE', 204],
  ]);
});

test('a file paused while its creating POST is under way resumes that upload: one POST, stored once, byte for byte', async () => {
  const scope = testScope();
  const name = `orphan-pause-${scope}.bin`;
  // No creation-with-upload, so the POST carries no bytes and the PATCH after it must wait for the resume.
  await commands.injectFault('/files', { type: 'hang', method: 'POST', ms: 1500, scope });
  const source = randomFile(300 * 1024, name);
  // Told when the POST has been handed to the browser: from then on the server will make the upload.
  let posted: () => void = () => {};
  const sent = new Promise<void>((resolve) => (posted = resolve));
  const xhr = new XhrHttpStack();
  const http: HttpStack = {
    send(request) {
      const answer = xhr.send(request);
      if (request.method === 'POST') posted();
      return answer;
    },
  };
  const uploader = uploaders.create({ protocol: tus({ endpoint: '/files', creationWithUpload: false, http }), headers: { 'X-Test-Scope': scope } });
  const [id = ''] = uploader.add([source]).accepted;
  await sent;
  uploader.pause(id);
  // The POST goes on to its answer: the paused file learns the upload's URL.
  const paused = await waitForSnapshot(uploader, (s) => s.files[0]?.url != null);
  expect(paused.files[0]?.status).toBe('paused');
  expect(paused.files[0]?.bytesAcknowledged).toBe(0);
  uploader.resume(id);
  await expectStoredExactly('/files', await settled(uploader, id), source);
  expect(await storedCount(name)).toBe(1);
  const log = await commands.tusRequestLog('/files', scope);
  expect(log.filter((entry) => entry.method === 'POST')).toHaveLength(1);
});
