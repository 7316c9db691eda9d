// The restore code (RestoredList.ts) is a chunk loaded by the first restore(). A load that failed
// (the network dropped just then) must not be kept: the next restore() asks for the chunk again.
import { memoryUrlStorage } from '../../src/core/resumeStorage.js';
import { createFakeProtocol } from '../support/fakeProtocol.js';

const chunk = { loads: 0, failures: 0 };

beforeEach(() => {
  vi.resetModules();
  Object.assign(chunk, { loads: 0, failures: 0 });
  vi.doMock('../../src/core/RestoredList.js', async (importOriginal: () => Promise<object>) => {
    chunk.loads++;
    if (chunk.failures > 0) {
      chunk.failures--;
      throw new TypeError('Failed to fetch dynamically imported module: /assets/RestoredList.js');
    }
    return importOriginal();
  });
});

test('a restore whose chunk failed to load rejects; the next restore loads it and restores', async () => {
  const { createUploader } = await import('../../src/core/createUploader.js');
  const uploader = createUploader({ protocol: createFakeProtocol(), resume: memoryUrlStorage() });
  chunk.failures = 1;
  await expect(uploader.restore()).rejects.toThrow();
  // A kept rejection would fail this one too (the mock fails only once).
  await expect(uploader.restore()).resolves.toBeUndefined();
  uploader.destroy();
});
