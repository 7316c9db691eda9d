import { act, render, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { userEvent } from 'vitest/browser';
import { tus } from '../../src/index.js';
import type { FileSnapshot, UploadSnapshot } from '../../src/index.js';
import { MemoryMeter, UploadWidget } from '../../src/react.js';
import '../../src/react/lean-upload.css';
import { MiB, expectStoredExactly, randomFile, waitForSnapshot } from './tusHarness.js';
import { widgetTestUploaders } from './widgetHarness.js';

const uploaders = widgetTestUploaders();

/** Choose files the way the browser does after the dialog closes: set input.files, fire change. */
function chooseFiles(container: HTMLElement, files: File[]) {
  const input = container.querySelector<HTMLInputElement>('input[type=file]');
  if (!input) throw new Error('no file input');
  const transfer = new DataTransfer();
  for (const file of files) transfer.items.add(file);
  input.files = transfer.files;
  act(() => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

const counter = (name: string) => screen.getByText(name, { selector: 'dt' }).nextElementSibling?.textContent;

describe('<UploadWidget> in Chromium against the real tus server', () => {
  test('uploads a chosen file byte for byte, shows 100%, announces it, and returns every buffer', async () => {
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files' }),
      partSize: MiB,
      maxPartSize: MiB,
      memoryBudget: 4 * MiB,
    });
    const { container } = render(<>
        <UploadWidget uploader={uploader} />
        <MemoryMeter uploader={uploader} />
      </>);
    const source = randomFile(6 * MiB + 123, 'résumé.pdf', 'application/pdf');

    chooseFiles(container, [source]);

    const bar = await vi.waitFor(() => screen.getByRole('progressbar', { name: 'résumé.pdf' }));
    await vi.waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('100'), { timeout: 60_000 });
    await vi.waitFor(() => expect(screen.getByRole('status').textContent).toBe('résumé.pdf uploaded.'));
    // 6 MiB + 123 bytes in decimal units, as the widget shows bytes.
    expect(bar.getAttribute('aria-valuetext')).toBe('100% — 6.3 MB of 6.3 MB');

    const [file] = uploader.getSnapshot().files as readonly FileSnapshot[];
    if (!file) throw new Error('no file in the snapshot');
    await expectStoredExactly('/files', file, source);
    await vi.waitFor(() => expect(counter('Leased buffers')).toBe('0'));
    expect(uploader.getSnapshot().memory.leasedBuffers).toBe(0);
  });

  test('pauses and resumes from the keyboard while hashing chunks, then completes byte for byte', async () => {
    // The verifying route makes the engine read and hash every chunk through pooled buffers.
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files-checksum' }),
      partSize: MiB,
      maxPartSize: MiB,
      memoryBudget: 2 * MiB,
    });
    const { container } = render(<>
        <UploadWidget uploader={uploader} />
        <MemoryMeter uploader={uploader} />
      </>);
    const source = randomFile(48 * MiB, 'video.mp4', 'video/mp4');
    chooseFiles(container, [source]);

    const pause = await vi.waitFor(() => screen.getByRole('button', { name: 'Pause video.mp4' }));
    pause.focus();
    await userEvent.keyboard('{Enter}');
    const paused = await waitForSnapshot(uploader, (s: UploadSnapshot) => s.files[0]?.status === 'paused');
    expect(paused.files[0]?.progress).toBeLessThan(1);
    await vi.waitFor(() => expect(pause.textContent).toBe('Resume video.mp4'));
    expect(document.activeElement).toBe(pause);

    await userEvent.keyboard('{Enter}');
    await vi.waitFor(() => expect(screen.getByRole('status').textContent).toBe('video.mp4 uploaded.'), {
      timeout: 60_000,
    });
    const [file] = uploader.getSnapshot().files;
    if (!file) throw new Error('no file in the snapshot');
    await expectStoredExactly('/files-checksum', file, source);
    await vi.waitFor(() => expect(counter('Leased buffers')).toBe('0'));
    expect(Number(counter('Reused'))).toBeGreaterThan(0);
    expect(Number(counter('Created'))).toBeLessThanOrEqual(2);
  });

  test('a refused file shows the rule beside it, and the widget passes an axe scan', async () => {
    const uploader = uploaders.create({
      protocol: tus({ endpoint: '/files' }),
      restrictions: { accept: ['.pdf'] },
      autoStart: false,
    });
    const { container } = render(<>
        <UploadWidget uploader={uploader} />
        <MemoryMeter uploader={uploader} />
      </>);
    chooseFiles(container, [new File(['MZ'], 'setup.exe'), new File(['%PDF'], 'ok.pdf', { type: 'application/pdf' })]);

    const refused = await vi.waitFor(() => screen.getByText('setup.exe', { selector: '.lu-file-name' }));
    const row = refused.closest('li');
    if (!row) throw new Error('no row');
    const problem = row.querySelector('.lu-file-error');
    expect(problem?.getAttribute('data-code')).toBe('file-type-not-accepted');
    expect(problem?.textContent).toContain('setup.exe');
    expect(within(row).getByRole('button', { name: 'Remove setup.exe' })).toBeTruthy();

    const results = await axe.run(container);
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});
