import { budgets, measureEntry, type EntrySize } from './bundleSize.mjs';

// The budget of what loads at startup (min+gzip, rolldown), so a regression fails `npm test`; the
// numbers live in bundleSize.mjs beside the table `npm run size` prints.
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
