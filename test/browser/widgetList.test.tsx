import { act, render, screen } from '@testing-library/react';
import { userEvent } from 'vitest/browser';
import { tus } from '../../src/index.js';
import { UploadWidget } from '../../src/react.js';
import '../../src/react/lean-upload.css';
import { widgetTestUploaders } from './widgetHarness.js';

const uploaders = widgetTestUploaders();

const files = (count: number) => Array.from({ length: count }, (_, i) => new File([`${i}`], `file-${i}.txt`));

async function setup() {
  const uploader = uploaders.create({ protocol: tus({ endpoint: '/files' }), autoStart: false });
  const view = render(<UploadWidget uploader={uploader} />);
  act(() => {
    uploader.add(files(1000));
  });
  const scroller = await vi.waitFor(() => {
    const list = view.container.querySelector<HTMLElement>('.lu-file-list');
    if (!list) throw new Error('no list yet');
    return list;
  });
  return { uploader, scroller };
}

/** The 1-based position in the whole list of the row holding the focused element. */
const focusedPosition = () => Number(document.activeElement?.closest('li')?.getAttribute('aria-posinset'));

describe('a 1,000-file list in Chromium', () => {
  test('renders a window of rows in a scrolling container and follows scrolling', async () => {
    const { scroller } = await setup();
    const rendered = () => scroller.querySelectorAll('li').length;
    expect(scroller.hasAttribute('data-windowed')).toBe(true);
    expect(rendered()).toBeGreaterThan(4);
    expect(rendered()).toBeLessThan(40);
    expect(scroller.scrollHeight).toBeGreaterThan(1000 * 70);

    scroller.scrollTop = scroller.scrollHeight;
    await vi.waitFor(() => expect(screen.getByText('file-999.txt', { selector: '.lu-file-name' })).toBeTruthy());
    expect(rendered()).toBeLessThan(40);
  });

  test('Tab walks row after row beyond the first window, scrolling the list along', async () => {
    const { scroller } = await setup();
    screen.getByRole('button', { name: 'Choose files to upload' }).focus();

    // autoStart is off, so the files wait for Start (waiting: 'start'): Upload all first, then two stops a
    // row, Start and Remove.
    for (let stop = 0; stop < 121; stop += 1) await userEvent.tab();

    expect(document.activeElement?.textContent).toBe('Remove file-59.txt');
    expect(focusedPosition()).toBe(60);
    expect(scroller.scrollTop).toBeGreaterThan(0);

    for (let stop = 0; stop < 40; stop += 1) await userEvent.tab({ shift: true });
    expect(document.activeElement?.textContent).toBe('Remove file-39.txt');
  });
});
