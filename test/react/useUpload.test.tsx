// @vitest-environment jsdom
import { act, render, renderHook } from '@testing-library/react';
import { useUpload } from '../../src/react/useUpload.js';
import { createFakeUploader, fakeFile } from '../support/fakeUploader.js';
import type { FakeUploader } from '../support/fakeUploader.js';

function Progress({ uploader, onRender }: { uploader: FakeUploader; onRender: (progress: number) => void }) {
  const { files } = useUpload(uploader);
  onRender(files[0]?.progress ?? -1);
  return <p>{files[0]?.progress}</p>;
}

describe('useUpload re-renders', () => {
  // Pacing is the engine's (progressInterval, tested in test/core): the hook adds no second throttle,
  // so what the engine publishes is rendered, once per notification and never stale.
  it('once per notification the uploader publishes, ending on the latest state', () => {
    const uploader = createFakeUploader([fakeFile({ id: 'a' })]);
    const seen: number[] = [];
    render(<Progress uploader={uploader} onRender={(p) => seen.push(p)} />);
    seen.length = 0;

    for (let i = 1; i <= 100; i += 1) act(() => uploader.patchFile('a', { status: 'uploading', progress: i / 100 }));

    expect(seen).toHaveLength(100);
    expect(seen.at(-1)).toBe(1);
  });

  it('stops listening on unmount', () => {
    const uploader = createFakeUploader([fakeFile({ id: 'a' })]);
    const { unmount } = render(<Progress uploader={uploader} onRender={() => undefined} />);
    expect(uploader.listenerCount()).toBe(1);

    unmount();

    expect(uploader.listenerCount()).toBe(0);
  });
});

describe('useUpload actions', () => {
  it('call the uploader with the file id', async () => {
    const uploader = createFakeUploader([fakeFile({ id: 'a' })]);
    const { result } = renderHook(() => useUpload(uploader));
    const file = new File(['x'], 'x.txt');

    act(() => {
      result.current.start('a');
      result.current.pause('a');
      result.current.resume('a');
      result.current.retry('a');
      result.current.remove('a');
      result.current.add([file]);
    });
    await act(() => result.current.cancel('a'));

    expect(uploader.calls).toEqual([
      { method: 'start', args: ['a'] },
      { method: 'pause', args: ['a'] },
      { method: 'resume', args: ['a'] },
      { method: 'retry', args: ['a'] },
      { method: 'remove', args: ['a'] },
      { method: 'add', args: [[file]] },
      { method: 'cancel', args: ['a'] },
    ]);
    expect(result.current.uploader).toBe(uploader);
  });

  it('return the snapshot parts and keep the action functions stable across renders', () => {
    const uploader = createFakeUploader([fakeFile({ id: 'a' })]);
    const { result, rerender } = renderHook(() => useUpload(uploader));
    const first = result.current;

    act(() => uploader.patchFile('a', { progress: 0.5 }));
    rerender();

    expect(result.current.files[0]?.progress).toBe(0.5);
    expect(result.current.totals).toBe(uploader.getSnapshot().totals);
    expect(result.current.memory).toBe(uploader.getSnapshot().memory);
    expect(result.current.pause).toBe(first.pause);
    expect(result.current.cancel).toBe(first.cancel);
    expect(result.current.add).toBe(first.add);
  });
});

describe('useUpload for the manual flow and a locale', () => {
  it('offers uploadAll (start every queued file) and a format in the configured language, stable per locale', async () => {
    const { de } = await import('../../src/react/locales/de.js');
    const uploader = createFakeUploader([fakeFile({ id: 'a' })]);
    const { result, rerender } = renderHook(({ locale }) => useUpload(uploader, { locale }), { initialProps: { locale: de } });
    const first = result.current.format;
    result.current.uploadAll();
    expect(uploader.calls).toContainEqual({ method: 'start', args: [undefined] });
    expect(first.bytes(1_500_000)).toBe('1,5 MB');
    expect(first.t('startAll')).toBe('Alle hochladen');
    rerender({ locale: de });
    expect(result.current.format).toBe(first);
  });
});
