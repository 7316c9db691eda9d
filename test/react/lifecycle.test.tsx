// @vitest-environment jsdom
import { StrictMode, useState } from 'react';
import { act, render, renderHook } from '@testing-library/react';
import type { Protocol, UploaderOptions } from '../../src/index.js';
import { useUpload } from '../../src/react/useUpload.js';
import { createFakeUploader } from '../support/fakeUploader.js';
import type { FakeUploader } from '../support/fakeUploader.js';

const created = vi.hoisted(() => [] as { options: unknown; uploader: unknown }[]);

// The hook creates uploaders through the public entry; count them and hand out fakes.
vi.mock('../../src/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/index.js')>();
  const { createFakeUploader: makeFake } = await import('../support/fakeUploader.js');
  return {
    ...original,
    createUploader: (options: unknown) => {
      const uploader = makeFake();
      created.push({ options, uploader });
      return uploader;
    },
  };
});

const protocol: Protocol = {
  name: 'none',
  endpoint: '/nowhere',
  open: () => Promise.reject(new Error('not used')),
};

const flushMicrotasks = () => act(() => Promise.resolve());

function fakeAt(index: number): FakeUploader {
  const entry = created[index];
  if (!entry) throw new Error(`no uploader #${index} was created`);
  return entry.uploader as FakeUploader;
}

function Widget({ options }: { options: UploaderOptions }) {
  const { files, add } = useUpload(options);
  return (
    <button type="button" onClick={() => add([new File(['a'], 'a.txt')])}>
      {files.length} files
    </button>
  );
}

beforeEach(() => {
  created.length = 0;
});

describe('useUpload lifecycle', () => {
  it('under StrictMode creates one uploader and keeps it alive through the simulated unmount', async () => {
    const view = render(
      <StrictMode>
        <Widget options={{ protocol }} />
      </StrictMode>,
    );
    await flushMicrotasks();

    expect(created).toHaveLength(1);
    expect(fakeAt(0).destroyed).toBe(false);
    act(() => view.getByRole('button').click());
    expect(view.getByRole('button').textContent).toBe('1 files');
    expect(fakeAt(0).listenerCount()).toBe(1);
  });

  it('destroys the uploader it created on the real unmount', async () => {
    const view = render(
      <StrictMode>
        <Widget options={{ protocol }} />
      </StrictMode>,
    );
    await flushMicrotasks();

    view.unmount();
    await flushMicrotasks();

    expect(created).toHaveLength(1);
    expect(fakeAt(0).destroyed).toBe(true);
  });

  it('never destroys an uploader it was given', async () => {
    const uploader = createFakeUploader();
    const { unmount } = renderHook(() => useUpload(uploader), { wrapper: StrictMode });
    unmount();
    await flushMicrotasks();

    expect(uploader.destroyed).toBe(false);
    expect(created).toHaveLength(0);
  });

  it('creates the uploader once across re-renders with new inline options', async () => {
    let bump: () => void = () => undefined;
    function Host() {
      const [, setCount] = useState(0);
      bump = () => setCount((n) => n + 1);
      return <Widget options={{ protocol, concurrency: 2 }} />;
    }
    render(<Host />);
    act(() => bump());
    act(() => bump());
    await flushMicrotasks();

    expect(created).toHaveLength(1);
    expect(fakeAt(0).destroyed).toBe(false);
  });
});

describe('useUpload live options', () => {
  it('pushes only the options that changed through configure(), and nothing for equal inline values', () => {
    const headers = () => ({ Authorization: 'Bearer t' });
    const { rerender } = renderHook((options: UploaderOptions) => useUpload(options), {
      initialProps: { protocol, concurrency: 2, headers, restrictions: { accept: ['.pdf'] } } as UploaderOptions,
    });
    const uploader = fakeAt(0);

    rerender({ protocol, concurrency: 2, headers, restrictions: { accept: ['.pdf'] } });
    expect(uploader.calls.filter((c) => c.method === 'configure')).toEqual([]);

    rerender({ protocol, concurrency: 3, headers, restrictions: { accept: ['.pdf', '.png'] } });
    rerender({ protocol, concurrency: 3, headers, restrictions: { accept: ['.pdf', '.png'] }, autoStart: false });

    expect(uploader.calls.filter((c) => c.method === 'configure')).toEqual([
      { method: 'configure', args: [{ concurrency: 3, restrictions: { accept: ['.pdf', '.png'] } }] },
      { method: 'configure', args: [{ autoStart: false }] },
    ]);
  });

  it('sends a removed option as undefined, which configure() takes as "back to the default"', () => {
    const { rerender } = renderHook((options: UploaderOptions) => useUpload(options), {
      initialProps: { protocol, autoStart: false, concurrency: 2 } as UploaderOptions,
    });
    rerender({ protocol, concurrency: 2 });
    const configured = fakeAt(0).calls.filter((c) => c.method === 'configure');
    expect(configured).toStrictEqual([{ method: 'configure', args: [{ autoStart: undefined }] }]);
  });

  it('warns in development, once per option, when an option that cannot change live changes (it is ignored)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { rerender } = renderHook((options: UploaderOptions) => useUpload(options), {
        initialProps: { protocol, partSize: 1024, concurrency: 2 } as UploaderOptions,
      });
      // An inline protocol object for the same endpoint, and a live option: no warning.
      rerender({ protocol: { ...protocol }, partSize: 1024, concurrency: 3 });
      expect(warn).not.toHaveBeenCalled();

      rerender({ protocol: { ...protocol, endpoint: '/elsewhere' }, partSize: 2048, concurrency: 3 });
      rerender({ protocol: { ...protocol, endpoint: '/elsewhere' }, partSize: 4096, concurrency: 3 });

      const messages = warn.mock.calls.map(([message]) => String(message));
      expect(messages).toHaveLength(2);
      expect(messages[0]).toContain('"protocol"');
      expect(messages[1]).toContain('"partSize"');
      expect(messages[1]).toContain('cannot change live');
      expect(fakeAt(0).calls.filter((c) => c.method === 'configure')).toEqual([{ method: 'configure', args: [{ concurrency: 3 }] }]);
    } finally {
      warn.mockRestore();
    }
  });

  it('passes the creation options to createUploader', () => {
    renderHook(() => useUpload({ protocol, memoryBudget: 1024 }));
    expect(created[0]?.options).toMatchObject({ protocol, memoryBudget: 1024 });
  });
});
