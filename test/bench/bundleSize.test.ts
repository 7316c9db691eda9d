import { budgets, firstUploadBudgets, measureEntry, type EntrySize } from './bundleSize.mjs';

// The budgets of what loads at startup and of what the first upload adds to it (min+gzip, rolldown),
// so a regression fails `npm test`; the numbers live in bundleSize.mjs beside the table `npm run size`
// prints.
const KiB = 1024;
const sizes = new Map<string, EntrySize>();
async function entry(name: string): Promise<EntrySize> {
  if (!sizes.has(name)) sizes.set(name, await measureEntry(name));
  return sizes.get(name)!;
}

describe('bundle size', () => {
  it.each(Object.entries(budgets))('the initial chunk of %s stays within %s KiB min+gzip', async (name, budget) => {
    const { initial } = await entry(name);
    expect(initial.gzipBytes).toBeLessThanOrEqual(budget * KiB);
  });

  it.each(Object.entries(firstUploadBudgets))('the first upload of %s (startup + the part pipeline and the session) stays within %s KiB min+gzip', async (name, budget) => {
    const { firstUpload } = await entry(name);
    expect(firstUpload.gzipBytes).toBeLessThanOrEqual(budget * KiB);
  });

  it.each(['core + tus', 'core + tus + useUpload + <UploadWidget>'])('%s loads the part pipeline and the tus session on the first upload, not at startup', async (name) => {
    const { initial, firstUpload, lazy } = await entry(name);
    const deferred = [/core\/Attempt\.ts$/, /core\/PartPlanner\.ts$/, /core\/PartSizer\.ts$/, /core\/StallDetector\.ts$/, /tus\/TusSession\.ts$/, /tus\/encodeMetadata\.ts$/];
    for (const pattern of deferred) {
      expect(initial.modules.filter((m) => pattern.test(m))).toEqual([]);
      // Still shipped, and counted in the first upload's figure.
      expect(firstUpload.modules.some((m) => pattern.test(m)), String(pattern)).toBe(true);
    }
    // The first upload counts none of the optional chunks: hashing, restoring, previews.
    for (const pattern of [/core\/hashing\.ts$/, /RestoredList/, /PreviewCache/]) expect(firstUpload.modules.filter((m) => pattern.test(m))).toEqual([]);
    // It is the startup code plus whole lazy chunks: nothing counted twice or left out.
    const chunks = lazy.filter((c) => firstUpload.chunks.includes(c.name));
    expect(firstUpload.modules.length).toBe(initial.modules.length + chunks.reduce((n, c) => n + c.modules.length, 0));
    expect(firstUpload.separateGzipBytes).toBe(initial.gzipBytes + chunks.reduce((n, c) => n + c.gzipBytes, 0));
  });

  it.each(['core + tus', 'core + tus + useUpload + <UploadWidget>'])('%s loads previews, the restored list, S3 and other locales only when used', async (name) => {
    const { initial, lazy } = await entry(name);
    const forbidden = [/PreviewCache/, /RestoredList/, /RestoredUpload/, /protocols\/s3\//, /locales\//];
    for (const pattern of forbidden) expect(initial.modules.filter((m) => pattern.test(m))).toEqual([]);
    // Words of the German and Chinese locales, and the preview decoder's calls, are not in the startup code.
    // (isPreviewable's `typeof createImageBitmap` check may stay; the decoding call may not.)
    for (const word of ['erlaubt', 'Hochladen', '文件', 'resizeWidth', 'OffscreenCanvas']) expect(initial.code.includes(word), word).toBe(false);
    // The restored list still ships, as a chunk of its own.
    expect(lazy.some((c) => c.modules.includes('src/core/RestoredList.ts'))).toBe(true);
  });

  it('core + tus loads the buffer pool and the hash worker client only when a part is hashed', async () => {
    const { initial, lazy } = await entry('core + tus');
    for (const pattern of [/BufferPool/, /PooledLease/, /LeaseHasher/]) expect(initial.modules.filter((m) => pattern.test(m))).toEqual([]);
    expect(lazy.some((c) => c.modules.includes('src/core/BufferPool.ts') && c.modules.includes('src/core/LeaseHasher.ts'))).toBe(true);
  });

  it('the widget bundle ships the preview decoder as a lazy chunk', async () => {
    const { lazy } = await entry('core + tus + useUpload + <UploadWidget>');
    const preview = lazy.find((c) => c.modules.includes('src/react/PreviewCache.ts'));
    expect(preview?.code.includes('resizeWidth')).toBe(true);
  });
});
