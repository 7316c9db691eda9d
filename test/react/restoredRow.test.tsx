// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/react';
import { FileList } from '../../src/react/FileList.js';
import { createFakeUploader, fakeFile } from '../support/fakeUploader.js';

const restored = (id: string, how: 'choose-file' | 'reopen') =>
  fakeFile({ id, name: `${id}.pdf`, type: 'application/pdf', size: 4096, bytesAcknowledged: 1024, bytesSent: 1024, status: 'paused', file: null, restored: how, resumed: true });

describe('restored rows (uploads of an earlier page)', () => {
  it('say what the server holds and to choose the file again; Discard removes the entry; no Resume without a handle', () => {
    const uploader = createFakeUploader([restored('a', 'choose-file')]);
    render(<FileList files={uploader.getSnapshot().files} actions={uploader} />);
    const row = screen.getByRole('listitem');
    expect(row.textContent).toContain('1 kB of 4.1 kB on the server · choose the file again to continue');
    // No File yet: the icon comes from the name and type.
    expect(row.querySelector('.lu-thumb')?.getAttribute('data-kind')).toBe('PDF');
    expect(within(row).queryByRole('button', { name: /resume/i })).toBeNull();
    fireEvent.click(within(row).getByRole('button', { name: 'Discard a.pdf' }));
    expect(uploader.calls).toEqual([{ method: 'remove', args: ['a'] }]);
  });

  it('with a kept handle offer Resume, which asks the uploader to reopen it', () => {
    const uploader = createFakeUploader([restored('b', 'reopen')]);
    render(<FileList files={uploader.getSnapshot().files} actions={uploader} />);
    const row = screen.getByRole('listitem');
    expect(row.textContent).toContain('resume to continue');
    fireEvent.click(within(row).getByRole('button', { name: 'Resume b.pdf' }));
    expect(uploader.calls).toEqual([{ method: 'resume', args: ['b'] }]);
  });
});
