// @vitest-environment jsdom
import { act, render, renderHook } from '@testing-library/react';
import { useUpload } from '../../src/react/useUpload.js';
import { createFakeClock } from '../support/fakeClock.js';
import { createFakeUploader, fakeFile } from '../support/fakeUploader.js';
import type { FakeUploader } from '../support/fakeUploader.js';
import type { Clock } from '../../src/index.js';

function Progress({ uploader, clock, throttleMs, onRender }: {
  uploader: FakeUploader;
  clock: Clock;
  throttleMs?: number;
  onRender: (progress: number) => void;
}) {
  const { files } = useUpload(uploader, { clock, throttleMs });
  onRender(files[0]?.progress ?? -1);
  return <p>{files[0]?.progress}</p>;
}

/** 100 snapshots, one every 10 ms of fake time: a core configured to notify far too often. */
function emitHundredSnapshots(uploader: FakeUploader, clock: ReturnType<typeof createFakeClock>) {
  for (let i = 1; i <= 100; i += 1) {
    act(() => {
      uploader.patchFile('a', { status: 'uploading', progress: i / 100, bytesAcknowledged: i * 10 });
      clock.advance(10);
    });
  }
  act(() => clock.advance(100));
}

describe('useUpload re-renders', () => {
  it('at most ~10 times per second of progress, however often the uploader notifies, ending on the latest state', () => {
    const clock = createFakeClock();
    const uploader = createFakeUploader([fakeFile({ id: 'a' })]);
    const seen: number[] = [];
    render(<Progress uploader={uploader} clock={clock} onRender={(p) => seen.push(p)} />);
    seen.length = 0;

    emitHundredSnapshots(uploader, clock);

    expect(seen.length).toBeGreaterThanOrEqual(9);
    expect(seen.length).toBeLessThanOrEqual(11);
    expect(seen.at(-1)).toBe(1);
  });

  it('on every change when throttleMs is 0 (the bound above is the throttle, not the fake)', () => {
    const clock = createFakeClock();
    const uploader = createFakeUploader([fakeFile({ id: 'a' })]);
    const seen: number[] = [];
    render(<Progress uploader={uploader} clock={clock} throttleMs={0} onRender={(p) => seen.push(p)} />);
    seen.length = 0;

    emitHundredSnapshots(uploader, clock);

    expect(seen).toHaveLength(100);
  });

  it('renders a change at once when nothing was rendered within the interval (no added latency)', () => {
    const clock = createFakeClock();
    const uploader = createFakeUploader([fakeFile({ id: 'a' })]);
    const seen: number[] = [];
    render(<Progress uploader={uploader} clock={clock} onRender={(p) => seen.push(p)} />);
    act(() => clock.advance(500));
    seen.length = 0;

    act(() => uploader.patchFile('a', { progress: 0.5 }));

    expect(seen).toEqual([0.5]);
  });

  it('stops listening on unmount and leaves no throttle timer behind', () => {
    const clock = createFakeClock();
    const uploader = createFakeUploader([fakeFile({ id: 'a' })]);
    const { unmount } = render(<Progress uploader={uploader} clock={clock} onRender={() => undefined} />);
    act(() => {
      uploader.patchFile('a', { progress: 0.1 });
      uploader.patchFile('a', { progress: 0.2 });
    });
    expect(uploader.listenerCount()).toBe(1);
    expect(clock.pending()).toBe(1);

    unmount();

    expect(uploader.listenerCount()).toBe(0);
    expect(clock.pending()).toBe(0);
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
    const { result, rerender } = renderHook(() => useUpload(uploader, { throttleMs: 0 }));
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
