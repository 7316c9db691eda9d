// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { FileList } from '../../src/react/FileList.js';
import { UploadWidget } from '../../src/react/UploadWidget.js';
import { loadWidgetFiles } from '../../src/react/useWidgetFiles.js';
import { createFakeUploader, fakeFile } from '../support/fakeUploader.js';

// The widget's totals and rows are a chunk of their own (useWidgetFiles): loaded before the tests,
// they render in the widget's first frame, as these tests read them.
beforeAll(() => loadWidgetFiles());

const progressRenders = vi.hoisted(() => new Map<string, number>());

// Every FileRow renders one ProgressBar named after its file: counting those counts row renders.
vi.mock('../../src/react/ProgressBar.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/react/ProgressBar.js')>();
  return {
    ...original,
    ProgressBar(props: Parameters<typeof original.ProgressBar>[0]) {
      progressRenders.set(props.label, (progressRenders.get(props.label) ?? 0) + 1);
      return original.ProgressBar(props);
    },
  };
});

const thousand = () => Array.from({ length: 1000 }, (_, i) => fakeFile({ id: `f${i}`, name: `file-${i}.bin`, status: 'uploading' }));

beforeEach(() => progressRenders.clear());

describe('a list of 1,000 files', () => {
  it('renders every row once, and a progress update of one file re-renders only that row', () => {
    const uploader = createFakeUploader(thousand());
    const actions = uploader;
    const { rerender, container } = render(
      <FileList files={uploader.getSnapshot().files} actions={actions} windowAbove={Infinity} />,
    );
    // Plain selectors: role queries over 1,000 rows are slow in jsdom.
    expect(container.querySelectorAll('li.lu-file')).toHaveLength(1000);
    expect(progressRenders.get('file-0.bin')).toBe(1);
    progressRenders.clear();

    uploader.patchFile('f500', { progress: 0.5, bytesAcknowledged: 500 });
    rerender(<FileList files={uploader.getSnapshot().files} actions={actions} windowAbove={Infinity} />);

    expect([...progressRenders]).toEqual([['file-500.bin', 1]]);
    const bar = container.querySelector('[role=progressbar][aria-label="file-500.bin"]');
    expect(bar?.getAttribute('aria-valuenow')).toBe('50');
    // jsdom needs seconds for 12,000 elements on a busy machine (Chromium needs milliseconds).
  }, 60_000);

  it('inside the widget, re-renders only the changed row on each snapshot', () => {
    const uploader = createFakeUploader(thousand());
    render(<UploadWidget uploader={uploader} />);
    progressRenders.clear();

    act(() => uploader.patchFile('f3', { progress: 0.3 }));
    act(() => uploader.patchFile('f3', { progress: 0.4 }));

    // The overall bar re-renders too; no other file's row does.
    expect(progressRenders.get('file-3.bin')).toBe(2);
    expect([...progressRenders.keys()].filter((name) => name.startsWith('file-'))).toEqual(['file-3.bin']);
  });

  it('is windowed by default: only rows in view are in the DOM, with the true size and positions announced', () => {
    const uploader = createFakeUploader(thousand());
    const { container } = render(
      <FileList files={uploader.getSnapshot().files} actions={uploader} rowHeight={50} viewportHeight={500} overscan={2} />,
    );
    const items = screen.getAllByRole('listitem');
    // 10 rows fit in 500 px, plus 2 of overscan after them.
    expect(items).toHaveLength(12);
    expect(items[0]?.getAttribute('aria-setsize')).toBe('1000');
    expect(items[0]?.getAttribute('aria-posinset')).toBe('1');
    const list = container.querySelector('ul');
    expect(list?.style.paddingBottom).toBe(`${(1000 - 12) * 50}px`);

    const scroller = container.querySelector<HTMLElement>('.lu-file-list');
    if (!scroller) throw new Error('no scroller');
    scroller.scrollTop = 25_000;
    fireEvent.scroll(scroller);

    const shown = screen.getAllByRole('listitem').map((item) => item.getAttribute('aria-posinset'));
    expect(shown[0]).toBe('499');
    expect(shown).toContain('501');
    expect(shown).toContain('510');
    expect(screen.queryByText('file-0.bin', { selector: '.lu-file-name' })).toBeNull();
    expect(screen.getByText('file-500.bin', { selector: '.lu-file-name' })).toBeTruthy();
  });
});
