import { commands } from 'vitest/browser';
import { s3Multipart, tus } from '../../src/index.js';
import type { FileSnapshot, UploadResult } from '../../src/index.js';
import { MiB, expectStoredExactly, randomFile, sha256Hex, uploaderTracker } from './tusHarness.js';

const uploaders = uploaderTracker();
afterEach(() => uploaders.checkAndDestroyAll());

/** An ETag as CompleteMultipartUpload gives it: AWS and Swift append "-<parts>" to an MD5 of the part MD5s. */
const multipartEtag = /^"[0-9a-f]{32}(-\d+)?"$/;

describe('what the server returned, through onSuccess, done and the snapshot, on real servers', () => {
  test('tus: the upload URL', async () => {
    const source = randomFile(3 * MiB, 'result-tus.bin');
    const successes: [FileSnapshot, UploadResult][] = [];
    const uploader = uploaders.create({ protocol: tus({ endpoint: '/files' }), onSuccess: (file, result) => successes.push([file, result]) });
    const outcome = await uploader.add([source]).files[0]!.done;
    if (outcome.status !== 'completed') throw new Error(`not completed: ${outcome.status}`);
    expect(outcome.result.url).toMatch(/\/files\/[^/]+$/);
    expect(outcome.file.url).toBe(outcome.result.url);
    await expectStoredExactly('/files', outcome.file, source);
    await vi.waitFor(() => expect(successes).toHaveLength(1));
    expect(successes[0]![1]).toEqual(outcome.result);
  });

  test('S3 multipart on Swift: the location, the key and the ETag CompleteMultipartUpload gave', async () => {
    const source = randomFile(12 * MiB, 'result-s3.bin');
    const uploader = uploaders.create({ protocol: s3Multipart({ endpoint: '/s3', partSize: 5 * MiB, multipartThreshold: 0 }), memoryBudget: 16 * MiB });
    const outcome = await uploader.add([source]).files[0]!.done;
    if (outcome.status !== 'completed') throw new Error(`not completed: ${outcome.status}`);
    const { key = '', location = '', etag = '' } = outcome.result;
    expect(await commands.s3ObjectSha256(key)).toBe(await sha256Hex(source));
    expect(location.endsWith(`/${key}`) || decodeURIComponent(location).endsWith(`/${key}`)).toBe(true);
    expect(etag).toMatch(multipartEtag);
    expect(outcome.file).toMatchObject({ url: location, result: outcome.result });
  });
});
