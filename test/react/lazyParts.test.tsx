import { measureEntry } from '../bench/bundleSize.mjs';

// What the widget does not run until used stays out of the startup code: reading dropped folders
// loads with the first folder dropped, development warnings never reach a production build.
describe('the React layer at startup (production build)', () => {
  it('ships the dropped-folder reader as a lazy chunk and no development warning', async () => {
    const { initial, lazy } = await measureEntry('core + tus + useUpload + <UploadWidget>');
    expect(initial.modules).not.toContain('src/react/readDirectory.ts');
    const reader = lazy.find((c) => c.modules.includes('src/react/readDirectory.ts'));
    // Its own code: the batched readEntries loop.
    expect(reader?.code.includes('readEntries')).toBe(true);
    expect(initial.code.includes('readEntries')).toBe(false);
    // syncOptions' warning about options that cannot change live.
    expect(initial.code.includes('cannot change live')).toBe(false);
  });
});
