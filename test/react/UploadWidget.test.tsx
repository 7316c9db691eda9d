// @vitest-environment jsdom
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { UploadError } from '../../src/index.js';
import { UploadWidget } from '../../src/react/UploadWidget.js';
import { loadWidgetFiles } from '../../src/react/useWidgetFiles.js';
import { createFakeUploader, fakeFile } from '../support/fakeUploader.js';

// The widget's totals and rows are a chunk of their own (useWidgetFiles): loaded before the tests,
// they render in the widget's first frame, as these tests read them.
beforeAll(() => loadWidgetFiles());

// Decimal, as the widget shows bytes (Intl's kilobyte, megabyte...).
const MB = 1_000_000;

function renderWidget(files = [fakeFile({ id: 'a', name: 'résumé.pdf', size: 29 * MB })]) {
  const uploader = createFakeUploader(files);
  const view = render(<UploadWidget uploader={uploader} />);
  return { uploader, view, user: userEvent.setup() };
}

const liveRegion = () => screen.getByRole('status');

describe('<UploadWidget> with the keyboard alone', () => {
  it('reaches the drop target, the commands for all files, then each file’s buttons, in order, with names that include the file', async () => {
    const { user } = renderWidget([
      fakeFile({ id: 'a', name: 'résumé.pdf', status: 'uploading' }),
      fakeFile({ id: 'b', name: 'photo.png', status: 'paused' }),
    ]);

    const names: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      await user.tab();
      names.push(document.activeElement?.textContent ?? '');
    }

    expect(names).toEqual([
      'Choose files to upload',
      'Pause all',
      'Pause résumé.pdf',
      'Cancel résumé.pdf',
      'Resume photo.png',
      'Cancel photo.png',
    ]);
    expect(screen.getByRole('button', { name: 'Pause résumé.pdf' })).toBeTruthy();
  });

  it('pauses every file with Pause all, whose button then resumes them all and keeps focus', async () => {
    const { user, uploader } = renderWidget([
      fakeFile({ id: 'a', name: 'a.mov', status: 'uploading', speed: 2 * MB }),
      fakeFile({ id: 'b', name: 'b.mov', status: 'queued' }),
    ]);
    expect(screen.getByText(/^0 of 2 uploaded · 2 MB\/s/)).toBeTruthy();
    const button = screen.getByRole('button', { name: 'Pause all' });
    button.focus();
    await user.keyboard('{Enter}');
    expect(uploader.calls).toContainEqual({ method: 'pause', args: [undefined] });
    act(() => {
      uploader.patchFile('a', { status: 'paused', speed: 0 });
      uploader.patchFile('b', { status: 'paused' });
    });
    expect(document.activeElement).toBe(button);
    expect(button.textContent).toBe('Resume all');
    await user.keyboard('{Enter}');
    expect(uploader.calls).toContainEqual({ method: 'resume', args: [undefined] });
  });

  it('offers Retry failed when a file failed, and no group commands for a single file', async () => {
    const { user, uploader } = renderWidget([
      fakeFile({ id: 'a', name: 'a.mov', status: 'failed', error: new UploadError('network', 'offline') }),
      fakeFile({ id: 'b', name: 'b.mov', status: 'completed' }),
    ]);
    expect(screen.queryByRole('button', { name: 'Pause all' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Retry failed' }));
    expect(uploader.calls).toContainEqual({ method: 'retry', args: [undefined] });
    act(() => uploader.setFiles([fakeFile({ id: 'c', name: 'c.mov', status: 'uploading' })]));
    expect(screen.queryByRole('button', { name: /all|failed/ })).toBeNull();
  });

  it('opens the file dialog once with Enter or Space on the drop target', async () => {
    const { user, view } = renderWidget([]);
    const input = view.container.querySelector<HTMLInputElement>('input[type=file]');
    if (!input) throw new Error('no file input');
    const opened = vi.spyOn(input, 'click');

    await user.tab();
    await user.keyboard('{Enter}');
    await user.keyboard(' ');

    expect(opened).toHaveBeenCalledTimes(2);
  });

  it('pauses with Enter and keeps focus on the same button, now named Resume', async () => {
    const { user, uploader } = renderWidget([fakeFile({ id: 'a', name: 'résumé.pdf', status: 'uploading' })]);
    await user.tab();
    await user.tab();
    const button = screen.getByRole('button', { name: 'Pause résumé.pdf' });
    expect(document.activeElement).toBe(button);

    await user.keyboard('{Enter}');
    expect(uploader.calls).toContainEqual({ method: 'pause', args: ['a'] });
    act(() => uploader.patchFile('a', { status: 'paused' }));

    expect(document.activeElement).toBe(button);
    expect(button.textContent).toBe('Resume résumé.pdf');
    await user.keyboard('{Enter}');
    expect(uploader.calls).toContainEqual({ method: 'resume', args: ['a'] });
  });

  it('offers Retry and Remove for a failed file and Remove for a finished one', async () => {
    const { user, uploader } = renderWidget([
      fakeFile({ id: 'a', name: 'a.bin', status: 'failed', error: new UploadError('network', 'Connection lost') }),
      fakeFile({ id: 'b', name: 'b.bin', status: 'completed', progress: 1 }),
    ]);
    await user.click(screen.getByRole('button', { name: 'Retry a.bin' }));
    await user.click(screen.getByRole('button', { name: 'Remove b.bin' }));
    expect(uploader.calls).toEqual([
      { method: 'retry', args: ['a'] },
      { method: 'remove', args: ['b'] },
    ]);
    expect(screen.queryByRole('button', { name: 'Cancel a.bin' })).toBeNull();
  });
});

describe('<UploadWidget> with autoStart off', () => {
  it('offers Start for a queued file', async () => {
    const uploader = createFakeUploader([fakeFile({ id: 'q', name: 'later.bin', status: 'queued', waiting: 'start' })]);
    render(<UploadWidget uploader={uploader} />);
    await userEvent.click(screen.getByRole('button', { name: 'Start later.bin' }));
    expect(uploader.calls).toEqual([{ method: 'start', args: ['q'] }]);
  });
});

describe('<UploadWidget disabled>', () => {
  it('neither opens the dialog nor takes dropped files', async () => {
    const uploader = createFakeUploader();
    const { container } = render(<UploadWidget uploader={uploader} disabled />);
    const input = container.querySelector<HTMLInputElement>('input[type=file]');
    const zone = container.querySelector<HTMLElement>('.lu-dropzone');
    if (!input || !zone) throw new Error('no dropzone');
    const opened = vi.spyOn(input, 'click');
    const file = new File(['a'], 'a.txt');

    await userEvent.click(zone);
    fireEvent.drop(zone, { dataTransfer: { files: [file], items: [] } });
    await act(() => Promise.resolve());

    expect(opened).not.toHaveBeenCalled();
    expect(uploader.calls).toEqual([]);
    expect(screen.getByRole('button', { name: 'Choose files to upload' }).hasAttribute('disabled')).toBe(true);
    expect(zone.getAttribute('aria-disabled')).toBe('true');
  });
});

describe('<UploadWidget> shows state', () => {
  it('as a progressbar per file with whole-percent values and a spoken "42% — x of y"', () => {
    const { uploader } = renderWidget();
    act(() =>
      uploader.patchFile('a', { status: 'uploading', bytesAcknowledged: 12.3 * MB, progress: 12.3 / 29 }),
    );
    const bar = screen.getByRole('progressbar', { name: 'résumé.pdf' });
    expect(bar.getAttribute('aria-valuemin')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    expect(bar.getAttribute('aria-valuenow')).toBe('42');
    expect(bar.getAttribute('aria-valuetext')).toBe('42% — 12.3 MB of 29 MB');
  });

  it('with the broken rule in words beside a rejected file, its code as data-code', () => {
    renderWidget([
      fakeFile({
        id: 'r',
        name: 'setup.exe',
        status: 'rejected',
        rejection: {
          code: 'file-type-not-accepted',
          message: 'words the widget does not show: it words the rule from code and params',
          params: { name: 'setup.exe', accepted: ['.pdf', 'image/*'] },
        },
      }),
    ]);
    const row = screen.getByText('setup.exe', { selector: '.lu-file-name' }).closest('li');
    if (!row) throw new Error('no row');
    const problem = within(row).getByText('setup.exe is not an accepted type; accepted: .pdf, image/* (accept).');
    expect(problem.getAttribute('data-code')).toBe('file-type-not-accepted');
    expect(row.getAttribute('data-status')).toBe('rejected');
  });

  it('with words for the user beside a failed file, and the error message in its title', () => {
    renderWidget([
      fakeFile({ id: 'f', name: 'big.iso', status: 'failed', error: new UploadError('stalled', 'No bytes sent for 30 s') }),
    ]);
    const row = screen.getByText('big.iso', { selector: '.lu-file-name' }).closest('li');
    if (!row) throw new Error('no row');
    const problem = within(row).getByText('The upload stopped making progress. Retry.');
    expect(problem.getAttribute('data-code')).toBe('stalled');
    expect(problem.getAttribute('title')).toBe('The upload stopped making progress. Retry.\nNo bytes sent for 30 s');
  });

  it('says a file was resumed from an earlier session, and only then', () => {
    renderWidget([
      fakeFile({ id: 'r', name: 'again.mov', status: 'uploading', size: 8 * MB, bytesAcknowledged: 6 * MB, resumed: true }),
      fakeFile({ id: 'n', name: 'new.mov', status: 'uploading', size: 8 * MB, bytesAcknowledged: 2 * MB }),
    ]);
    const detail = (name: string) => screen.getByText(name, { selector: '.lu-file-name' }).closest('li')?.querySelector('.lu-file-detail')?.textContent;
    expect(detail('again.mov')).toMatch(/^6 MB of 8 MB · resumed/);
    expect(detail('new.mov')).not.toContain('resumed');
  });

  it('renders file names as text, never as markup', () => {
    const { view } = renderWidget([fakeFile({ id: 'x', name: '<img src=x onerror=alert(1)>.png' })]);
    expect(view.container.querySelector('img')).toBeNull();
    expect(screen.getByText('<img src=x onerror=alert(1)>.png', { selector: '.lu-file-name' })).toBeTruthy();
  });
});

describe('<UploadWidget> live region', () => {
  it('is polite and announces a completion', () => {
    const { uploader } = renderWidget();
    expect(liveRegion().getAttribute('aria-live')).toBe('polite');
    expect(liveRegion().textContent).toBe('');

    act(() => uploader.patchFile('a', { status: 'uploading', progress: 0.5 }));
    expect(liveRegion().textContent).toBe('');
    act(() => uploader.patchFile('a', { status: 'completed', progress: 1 }));

    expect(liveRegion().textContent).toBe('résumé.pdf uploaded.');
  });

  it('announces a failure with words for the user, and a refused file as it is added', () => {
    const { uploader } = renderWidget();
    act(() => uploader.patchFile('a', { status: 'failed', error: new UploadError('network', 'Connection lost') }));
    expect(liveRegion().textContent).toBe('résumé.pdf failed: No connection to the server. Check the connection and retry.');

    act(() =>
      uploader.setFiles([
        ...uploader.getSnapshot().files,
        fakeFile({
          id: 'r',
          name: 'x.exe',
          status: 'rejected',
          rejection: { code: 'file-too-large', message: 'too big', params: { name: 'x.exe', size: 5 * MB, limit: MB } },
        }),
      ]),
    );
    expect(liveRegion().textContent).toBe('x.exe is 5 MB; the largest allowed is 1 MB (maxFileSize).');
  });

  it('does not announce files that were already finished when it mounted', () => {
    renderWidget([fakeFile({ id: 'a', status: 'completed', progress: 1 })]);
    expect(liveRegion().textContent).toBe('');
  });
});
