import { cleanup, render } from '@testing-library/react';
import axe from 'axe-core';
import { UploadError } from '../../src/index.js';
import { UploadWidget } from '../../src/react.js';
import { de } from '../../src/react/locales/de.js';
import '../../src/react/lean-upload.css';
import { loadWidgetFiles } from '../../src/react/useWidgetFiles.js';
import { createFakeUploader, fakeFile } from '../support/fakeUploader.js';

// The widget's totals and rows are a chunk of their own (useWidgetFiles): loaded before the tests,
// they render in the widget's first frame, as these tests measure them.
beforeAll(() => loadWidgetFiles());

const MB = 1_000_000;

/** One file in each look the widget has: running, waiting, failed, refused, done. */
function files() {
  return [
    fakeFile({ id: 'u', name: 'running.mov', status: 'uploading', size: 10 * MB, bytesAcknowledged: 4 * MB, progress: 0.4, speed: MB, eta: 6 }),
    fakeFile({ id: 'q', name: 'waiting.pdf', status: 'queued', waiting: 'start' }),
    fakeFile({ id: 'f', name: 'broken.iso', status: 'failed', error: new UploadError('network', 'Connection lost') }),
    fakeFile({
      id: 'r',
      name: 'setup.exe',
      status: 'rejected',
      rejection: { code: 'file-type-not-accepted', message: '', params: { name: 'setup.exe', accepted: ['.pdf'] } },
    }),
    fakeFile({ id: 'c', name: 'done.png', status: 'completed', progress: 1, bytesAcknowledged: 1000 }),
  ];
}

function renderIn(attributes: { dir?: string; theme?: string }) {
  const uploader = createFakeUploader(files());
  // A page background of the theme, as an app would have: axe judges contrast against what is painted.
  const view = render(
    <div dir={attributes.dir} data-theme={attributes.theme} style={{ width: 600, background: attributes.theme === 'dark' ? '#000' : '#fff' }}>
      <UploadWidget uploader={uploader} locale={de} />
    </div>,
  );
  return view.container;
}

const rect = (element: Element | null | undefined) => {
  if (!element) throw new Error('missing element');
  return element.getBoundingClientRect();
};

afterEach(() => cleanup());

describe('the widget right-to-left', () => {
  test.each(['ltr', 'rtl'])('%s: names start, statuses end, and progress grows from the start edge', (dir) => {
    const container = renderIn({ dir });
    const row = container.querySelector('.lu-file[data-status="uploading"]');
    const name = rect(row?.querySelector('.lu-file-name'));
    const status = rect(row?.querySelector('.lu-file-status'));
    const bar = rect(row?.querySelector('.lu-progress'));
    const fill = rect(row?.querySelector('.lu-progress-fill'));
    const [first, second] = Array.from(row?.querySelectorAll('.lu-file-actions button') ?? []).map(rect);
    if (!first || !second) throw new Error('expected two buttons');
    // 40% filled, anchored on the start edge.
    expect(fill.width / bar.width).toBeCloseTo(0.4, 1);
    if (dir === 'ltr') {
      expect(name.left).toBeLessThan(status.left);
      expect(fill.left).toBeCloseTo(bar.left, 0);
      expect(first.left).toBeLessThan(second.left);
    } else {
      expect(name.right).toBeGreaterThan(status.right);
      expect(fill.right).toBeCloseTo(bar.right, 0);
      expect(first.left).toBeGreaterThan(second.left);
    }
  });
});

describe('the widget in both themes', () => {
  test.each(['light', 'dark'])('%s: axe finds nothing (contrast AA included)', async (theme) => {
    const container = renderIn({ theme });
    const widget = container.querySelector('.lu-uploader');
    if (!widget) throw new Error('no widget');
    const background = getComputedStyle(widget).backgroundColor;
    expect(background).toBe(theme === 'dark' ? 'rgb(22, 24, 28)' : 'rgb(255, 255, 255)');
    const results = await axe.run(container, { rules: { region: { enabled: false } } });
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    // Contrast really was judged, not skipped.
    expect(results.passes.some((rule) => rule.id === 'color-contrast')).toBe(true);
  });
});
