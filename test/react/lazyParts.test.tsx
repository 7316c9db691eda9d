import { measureEntry } from '../bench/bundleSize.mjs';

// What the widget does not run until used stays out of the startup code: reading dropped folders
// loads with the first folder dropped, the totals and rows with the first file (or a sign of one),
// development warnings never reach a production build.
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

  it("ships the widget's totals and rows as a lazy chunk: a widget with no files needs only the drop area", async () => {
    const { initial, lazy } = await measureEntry('core + tus + useUpload + <UploadWidget>');
    const rows = ['src/react/UploadTotals.tsx', 'src/react/FileList.tsx', 'src/react/FileRow.tsx', 'src/react/FileRowActions.tsx', 'src/react/Thumbnail.tsx', 'src/react/ProgressBar.tsx'];
    for (const module of rows) expect(initial.modules).not.toContain(module);
    const panel = lazy.find((c) => c.modules.includes('src/react/WidgetFiles.tsx'));
    expect(panel?.modules).toEqual(expect.arrayContaining(rows));
    // What the startup code keeps: the drop area and the live region, which must be there before it speaks.
    expect(initial.modules).toEqual(expect.arrayContaining(['src/react/Dropzone.tsx', 'src/react/LiveRegion.tsx']));
  });
});
