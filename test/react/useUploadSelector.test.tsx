// @vitest-environment jsdom
import { act, render } from '@testing-library/react';
import { Profiler, useState } from 'react';
import { shallowEqual, useUploadSelector, useUploadSnapshot } from '../../src/react/useUploadSelector.js';
import { MemoryMeter } from '../../src/react/MemoryMeter.js';
import { createFakeUploader, fakeFile } from '../support/fakeUploader.js';
import type { FakeUploader } from '../support/fakeUploader.js';
import type { UploadSnapshot } from '../../src/index.js';

/** Counts its renders and shows what it selected. */
function Reader<T>({ uploader, select, equals, renders }: {
  uploader: FakeUploader;
  select: (snapshot: UploadSnapshot) => T;
  equals?: (a: T, b: T) => boolean;
  renders: T[];
}) {
  const value = useUploadSelector(uploader, select, equals);
  renders.push(value);
  return <p>{JSON.stringify(value)}</p>;
}

describe('useUploadSelector re-renders only for what it reads', () => {
  it('a component selecting totals does not re-render when only memory changes', () => {
    const uploader = createFakeUploader([fakeFile({ id: 'a' })]);
    const renders: number[] = [];
    render(<Reader uploader={uploader} select={(s) => s.totals.progress} renders={renders} />);
    expect(renders).toEqual([0]);

    act(() => uploader.setMemory({ inFlightBytes: 1024, leasedBuffers: 1 }));
    act(() => uploader.setMemory({ inFlightBytes: 0, leasedBuffers: 0 }));
    expect(renders).toEqual([0]);

    act(() => uploader.patchFile('a', { status: 'uploading', bytesAcknowledged: 500 }));
    expect(renders).toEqual([0, 0.5]);
  });

  it('a component selecting memory does not re-render for file progress', () => {
    const uploader = createFakeUploader([fakeFile({ id: 'a' })]);
    const renders: number[] = [];
    render(<Reader uploader={uploader} select={(s) => s.memory.inFlightBytes} renders={renders} />);

    for (let i = 1; i <= 10; i += 1) act(() => uploader.patchFile('a', { bytesAcknowledged: i * 100 }));
    expect(renders).toEqual([0]);

    act(() => uploader.setMemory({ inFlightBytes: 4096 }));
    expect(renders).toEqual([0, 4096]);
  });

  it('a selector that builds an object re-renders on every change with Object.is, and only on a real one with shallowEqual', () => {
    const uploader = createFakeUploader([fakeFile({ id: 'a' })]);
    const select = (s: UploadSnapshot) => ({ active: s.totals.active, files: s.totals.files });
    const plain: unknown[] = [];
    const shallow: unknown[] = [];
    render(
      <>
        <Reader uploader={uploader} select={select} renders={plain} />
        <Reader uploader={uploader} select={select} equals={shallowEqual} renders={shallow} />
      </>,
    );

    act(() => uploader.patchFile('a', { bytesAcknowledged: 100 }));
    act(() => uploader.patchFile('a', { bytesAcknowledged: 200 }));
    expect(plain).toHaveLength(3);
    expect(shallow).toHaveLength(1);

    act(() => uploader.patchFile('a', { status: 'uploading' }));
    expect(shallow).toEqual([
      { active: 0, files: 1 },
      { active: 1, files: 1 },
    ]);
  });

  it('follows a new selector given by a re-rendering parent, with no stale value', () => {
    const uploader = createFakeUploader([fakeFile({ id: 'a', size: 1000 }), fakeFile({ id: 'b', size: 3000 })]);
    const renders: unknown[] = [];
    let pick: (id: string) => void = () => undefined;
    function Parent() {
      const [id, setId] = useState('a');
      pick = setId;
      return <Reader uploader={uploader} select={(s) => s.files.find((f) => f.id === id)?.size} renders={renders} />;
    }
    render(<Parent />);
    act(() => pick('b'));
    expect(renders).toEqual([1000, 3000]);
  });

  it('stops listening on unmount', () => {
    const uploader = createFakeUploader();
    const { unmount } = render(<Reader uploader={uploader} select={(s) => s.totals.files} renders={[]} />);
    expect(uploader.listenerCount()).toBe(1);
    unmount();
    expect(uploader.listenerCount()).toBe(0);
  });
});

describe('useUploadSnapshot and the meter built on the selector', () => {
  it('useUploadSnapshot returns the uploader’s snapshot object itself', () => {
    const uploader = createFakeUploader([fakeFile({ id: 'a' })]);
    const seen: UploadSnapshot[] = [];
    function Whole() {
      seen.push(useUploadSnapshot(uploader));
      return null;
    }
    render(<Whole />);
    act(() => uploader.patchFile('a', { progress: 0.3 }));
    expect(seen).toEqual([expect.anything(), uploader.getSnapshot()]);
    expect(seen[1]).toBe(uploader.getSnapshot());
  });

  it('<MemoryMeter uploader> does not re-render for file progress', () => {
    const uploader = createFakeUploader([fakeFile({ id: 'a' })]);
    let commits = 0;
    const { container } = render(
      <Profiler id="meter" onRender={() => (commits += 1)}>
        <MemoryMeter uploader={uploader} chart={false} />
      </Profiler>,
    );
    // Mounting commits more than once (the sampler records its first sample in an effect).
    const mounted = commits;
    for (let i = 1; i <= 5; i += 1) act(() => uploader.patchFile('a', { bytesAcknowledged: i * 100 }));
    expect(commits).toBe(mounted);

    act(() => uploader.setMemory({ leasedBuffers: 3 }));
    expect(commits).toBeGreaterThan(mounted);
    expect(container.querySelector('[data-counter="leasedBuffers"] dd')?.textContent).toBe('3');
  });
});

describe('shallowEqual', () => {
  it('compares own keys and array items by Object.is, one level deep', () => {
    expect(shallowEqual({ a: 1, b: 'x' }, { a: 1, b: 'x' })).toBe(true);
    expect(shallowEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(shallowEqual([1, 2], [1, 2])).toBe(true);
    expect(shallowEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(shallowEqual({ a: { n: 1 } }, { a: { n: 1 } })).toBe(false);
    expect(shallowEqual(Number.NaN, Number.NaN)).toBe(true);
  });
});
