import { commands } from 'vitest/browser';
import { tus } from '../../src/index.js';
import { MiB, expectStoredExactly, randomFile, settled, testScope, uploaderTracker, waitForSnapshot } from './tusHarness.js';

const uploaders = uploaderTracker();
const RECORD_PREFIX = 'lean-upload:';

afterEach(() => {
  vi.restoreAllMocks();
  uploaders.checkAndDestroyAll();
  for (const key of Object.keys(localStorage)) if (key.startsWith(RECORD_PREFIX)) localStorage.removeItem(key);
});

function recordKeys(): string[] {
  return Object.keys(localStorage).filter((key) => key.startsWith(RECORD_PREFIX));
}

/** A file of three 1 MiB parts on a resume: true uploader, so a record is written mid-upload. */
async function uploadThreeParts(name: string, scope = testScope()) {
  const source = randomFile(3 * MiB + 5, name);
  const uploader = uploaders.create({
    protocol: tus({ endpoint: '/files' }),
    resume: true,
    partSize: MiB,
    maxPartSize: MiB,
    memoryBudget: 4 * MiB,
    headers: { 'X-Test-Scope': scope },
  });
  const [id = ''] = uploader.add([source]).accepted;
  return { uploader, id, source, scope };
}

test('a full localStorage (setItem throws QuotaExceededError): the upload finishes byte for byte, no record is kept, nothing escapes', async () => {
  const setItem = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  });
  const { uploader, id, source } = await uploadThreeParts('quota.bin');
  const file = await settled(uploader, id);
  await expectStoredExactly('/files', file, source);
  // The record was tried (and refused), not skipped.
  expect(setItem.mock.calls.some(([key]) => key.startsWith(RECORD_PREFIX))).toBe(true);
  expect(recordKeys()).toEqual([]);
  expect(file.error).toBeNull();
});

test('a blocked localStorage (reading it throws SecurityError): uploads work, pause and resume go on from the server offset', async () => {
  const own = Object.getOwnPropertyDescriptor(window, 'localStorage');
  const inherited = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(window), 'localStorage');
  expect(own ?? inherited).toBeDefined();
  Object.defineProperty(window, 'localStorage', {
    configurable: true,
    get() {
      throw new DOMException('Access is denied for this document.', 'SecurityError');
    },
  });
  try {
    expect(() => window.localStorage).toThrow('denied');
    const scope = testScope();
    // The first PATCH keeps half a MiB and then hangs, so the pause lands mid-part.
    await commands.injectFault('/files', { type: 'stall', method: 'PATCH', afterBytes: 512 * 1024, ms: 60_000, scope });
    const { uploader, id, source } = await uploadThreeParts('blocked.bin', scope);
    // Pause mid-part: the page keeps the record in memory, so the resume continues the same upload.
    await waitForSnapshot(uploader, (s) => (s.files[0]?.bytesSent ?? 0) > 0 && s.files[0]?.url !== null);
    uploader.pause(id);
    uploader.resume(id);
    const file = await settled(uploader, id);
    await expectStoredExactly('/files', file, source);
    const posts = (await commands.tusRequestLog('/files', scope)).filter((entry) => entry.method === 'POST');
    expect(posts).toHaveLength(1);
  } finally {
    if (own) Object.defineProperty(window, 'localStorage', own);
    else Reflect.deleteProperty(window, 'localStorage');
  }
  expect(recordKeys()).toEqual([]);
});
