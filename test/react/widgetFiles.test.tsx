// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { createFakeUploader, fakeFile } from '../support/fakeUploader.js';

// Counts the loads of the widget's file panel (its own chunk in an app's build). Each test imports the
// widget afresh, with a fresh count, so the panel starts unloaded.
const loads = { count: 0 };

/** `failures`: how many loads fail first, as a fetch does offline or after a deploy replaced the chunk. */
async function freshWidget(failures = 0) {
  vi.resetModules();
  loads.count = 0;
  vi.doMock('../../src/react/WidgetFiles.js', async (importOriginal) => {
    loads.count += 1;
    if (loads.count <= failures) throw new TypeError('Failed to fetch dynamically imported module');
    return importOriginal();
  });
  const { UploadWidget } = await import('../../src/react/UploadWidget.js');
  const { loadWidgetFiles } = await import('../../src/react/useWidgetFiles.js');
  return { UploadWidget, loadWidgetFiles };
}

const region = () => screen.getByRole('region', { name: 'File upload' });

describe("<UploadWidget>'s file panel, loaded apart from the widget", () => {
  it('is not loaded while the widget has no files and nothing moves towards it', async () => {
    const { UploadWidget } = await freshWidget();
    render(<UploadWidget uploader={createFakeUploader()} />);
    // The effect that would start the load has run; give an import every chance to begin.
    await act(() => Promise.resolve());
    expect(loads.count).toBe(0);
    expect(screen.getByRole('button', { name: 'Choose files to upload' })).toBeTruthy();
  });

  it('loads when the widget has files, and shows the rows once loaded; the live region is there from the start', async () => {
    const { UploadWidget } = await freshWidget();
    render(<UploadWidget uploader={createFakeUploader([fakeFile({ id: 'b', name: 'b.mov', status: 'uploading' })])} />);
    expect(screen.queryByRole('listitem')).toBeNull();
    expect(screen.getByRole('status').getAttribute('aria-live')).toBe('polite');
    expect(await screen.findByRole('button', { name: 'Pause b.mov' })).toBeTruthy();
    expect(loads.count).toBe(1);
  });

  it.each([
    ['a pointer comes over', () => fireEvent.pointerEnter(region())],
    ['focus moves into', () => screen.getByRole('button', { name: 'Choose files to upload' }).focus()],
    ['a drag enters', () => fireEvent.dragEnter(region())],
  ])('loads when %s an empty widget, so its first files render with their rows at once', async (_, sign) => {
    const { UploadWidget, loadWidgetFiles } = await freshWidget();
    const uploader = createFakeUploader();
    render(<UploadWidget uploader={uploader} />);
    act(sign);
    await vi.waitFor(() => expect(loads.count).toBe(1));
    // The load the sign started (the same promise): once done, files render with their rows in one go.
    await loadWidgetFiles();
    act(() => uploader.setFiles([fakeFile({ id: 'a', name: 'a.pdf' })]));
    expect(screen.getByRole('listitem').textContent).toContain('a.pdf');
    expect(screen.getByRole('progressbar', { name: 'All files' })).toBeTruthy();
    expect(loads.count).toBe(1);
  });

  it('reports a failed load and tries again at the next sign of use', async () => {
    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    try {
      const { UploadWidget } = await freshWidget(1);
      render(<UploadWidget uploader={createFakeUploader([fakeFile({ id: 'c', name: 'c.txt' })])} />);
      await vi.waitFor(() => expect(reported).toHaveBeenCalledTimes(1));
      // Vitest wraps a mock factory's error; the browser's own TypeError is its cause.
      expect(String((reported.mock.calls[0]?.[0] as Error).cause)).toContain('Failed to fetch');
      expect(screen.queryByRole('listitem')).toBeNull();
      fireEvent.pointerEnter(region());
      expect((await screen.findByRole('listitem')).textContent).toContain('c.txt');
      expect(loads.count).toBe(2);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
