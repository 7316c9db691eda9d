import { commands } from 'vitest/browser';
import { tus } from '../../src/index.js';
import { readChunk } from '../../src/core/readChunk.js';
import { isUploadError } from '../../src/core/UploadError.js';
import { usePools } from './poolHarness.js';
import { MiB, RecordingHttp, settled, testScope, uploaderTracker } from './tusHarness.js';

// A File the page built in memory, larger than Chromium stores: 2 GiB of in-memory Blobs at most on
// 64-bit desktop (500 MiB in the browser's first seconds), and a Playwright context, private, pages
// none to disk. Chromium refuses it at birth: construction succeeds, `size` is right, and every read
// fails exactly as reads of a file changed on disk do (NotReadableError, a bare "network error" from
// its stream, a failed XHR); which of the two it was, Chromium tells only its console. So the error is
// 'file-changed' and its message must name both causes, not claim the file changed on disk.
// 33 references to one 64 MiB buffer: the page copies each into the Blob (2.06 GiB, freed with it).
// Blobs made of other Blobs would cost no copy, and be stored: they are not a trigger.
const makePool = usePools();
const uploaders = uploaderTracker();
afterEach(() => uploaders.checkAndDestroyAll());

let unstorable: File | null = null;
function source(): File {
  if (!unstorable) throw new Error('beforeAll made no file');
  return unstorable;
}

beforeAll(async () => {
  const piece = new ArrayBuffer(64 * MiB);
  unstorable = new File(Array.from({ length: 33 }, () => piece), 'built-in-memory.bin');
  // The premise: Chromium refused to store it. A browser that stores it (one that pages blobs to disk,
  // as a non-private profile does) reads it fine, and this file would test nothing there: fail loudly.
  const premise = await unstorable.slice(0, 1).arrayBuffer().then(() => 'stored', (error: unknown) => (error instanceof DOMException ? error.name : String(error)));
  expect(premise, 'Chromium stored a 2.06 GiB in-memory File: the limit this file relies on is not there').toBe('NotReadableError');
});

afterAll(async () => {
  // The page's 2 GiB copy goes with the File: collect it now, not after the next file's first test.
  unstorable = null;
  await commands.collectGarbage();
});

/** The message says the file could not be read, and both why: changed on disk, or a Blob the browser would not store. */
function expectBothCauses(error: unknown): void {
  expect(isUploadError(error) && error.code).toBe('file-changed');
  const message = error instanceof Error ? error.message : '';
  expect(message).toMatch(/can no longer be read/);
  expect(message).toMatch(/changed, moved or deleted since it was chosen/);
  expect(message).toMatch(/an in-memory Blob over the browser's blob limit/);
}

test('reading a part of it (BYOB, then the one-byte probe) fails with file-changed naming both causes', async () => {
  const lease = await makePool(MiB).lease();
  try {
    expectBothCauses(await readChunk(source().slice(5 * MiB, 6 * MiB), lease).catch((reason: unknown) => reason));
  } finally {
    lease.release();
  }
});

/** Uploads the refused File over tus (retries allowed) until it settles; the requests the page sent. */
async function uploadUnstorable(endpoint: string, checksum?: 'sha-256'): Promise<{ error: unknown; patches: number }> {
  const http = new RecordingHttp();
  const uploader = uploaders.create({
    protocol: tus({ endpoint, http }),
    ...(checksum ? { checksum } : {}),
    headers: { 'X-Test-Scope': testScope() },
    retry: { delays: [1, 1, 1] },
  });
  const [id = ''] = uploader.add([source()]).accepted;
  const file = await settled(uploader, id);
  expect(file.status).toBe('failed');
  return { error: file.error, patches: http.sent.filter((request) => request.method === 'PATCH').length };
}

test('uploading it (parts sent as Blob bodies) fails after one PATCH with file-changed naming both causes, not retried', async () => {
  const { error, patches } = await uploadUnstorable('/files');
  expectBothCauses(error);
  // The XHR of the first part failed and the file was probed: nothing is retried.
  expect(patches).toBe(1);
});

test('uploading it with SHA-256 (parts read by the hashing worker) fails with file-changed naming both causes, sending no part', async () => {
  const { error, patches } = await uploadUnstorable('/files-checksum', 'sha-256');
  expectBothCauses(error);
  expect(patches).toBe(0);
});
