// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { FileHandleLike } from '../../src/index.js';
import { pickerTypes } from '../../src/react/pickFileHandles.js';
import { useUpload } from '../../src/react/useUpload.js';
import { createFakeUploader } from '../support/fakeUploader.js';

type Picker = (options: { multiple: boolean; types?: unknown }) => Promise<FileHandleLike[]>;

function Zone({ uploader, multiple }: { uploader: ReturnType<typeof createFakeUploader>; multiple?: boolean }) {
  const { getRootProps, getInputProps } = useUpload(uploader, { multiple, accept: ['image/*', '.pdf'] });
  return (
    <div {...getRootProps()} data-testid="root">
      <input {...getInputProps()} data-testid="input" />
    </div>
  );
}

const handleOf = (file: File): FileHandleLike => ({ kind: 'file', getFile: async () => file });

function withPicker(picker: Picker): () => void {
  Reflect.set(window, 'showOpenFilePicker', picker);
  return () => Reflect.deleteProperty(window, 'showOpenFilePicker');
}

describe('choosing files through the File System Access picker (Chromium) keeps their handles', () => {
  it('a click opens the picker, not the input, and the chosen handles go to addHandles (one-click resume after a reload)', async () => {
    const uploader = createFakeUploader();
    const addHandles = vi.spyOn(uploader, 'addHandles');
    const handle = handleOf(new File(['a'], 'a.jpg', { type: 'image/jpeg' }));
    const picker = vi.fn<Picker>(async () => [handle]);
    const restore = withPicker(picker);
    try {
      render(<Zone uploader={uploader} multiple={false} />);
      const clicked = vi.spyOn(screen.getByTestId('input') as HTMLInputElement, 'click');
      fireEvent.click(screen.getByTestId('root'));
      expect(picker).toHaveBeenCalledWith({ multiple: false, types: [{ accept: { 'image/*': [], 'application/octet-stream': ['.pdf'] } }] });
      await waitFor(() => expect(addHandles).toHaveBeenCalledWith([handle]));
      expect(clicked).not.toHaveBeenCalled();
    } finally {
      restore();
    }
  });

  it('closing the picker adds nothing; a picker that refuses (not AbortError) opens the plain input instead', async () => {
    const uploader = createFakeUploader();
    const addHandles = vi.spyOn(uploader, 'addHandles');
    const abort = Object.assign(new Error('closed'), { name: 'AbortError' });
    const refuse = new TypeError('bad accept type');
    const picker = vi.fn<Picker>().mockRejectedValueOnce(abort).mockRejectedValueOnce(refuse);
    const restore = withPicker(picker);
    try {
      render(<Zone uploader={uploader} />);
      const clicked = vi.spyOn(screen.getByTestId('input') as HTMLInputElement, 'click');
      fireEvent.click(screen.getByTestId('root'));
      await waitFor(() => expect(picker).toHaveBeenCalledTimes(1));
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(clicked).not.toHaveBeenCalled();
      fireEvent.click(screen.getByTestId('root'));
      await waitFor(() => expect(clicked).toHaveBeenCalledTimes(1));
      expect(addHandles).not.toHaveBeenCalled();
    } finally {
      restore();
    }
  });

  it('without the picker (other browsers) the input opens as before', () => {
    const uploader = createFakeUploader();
    render(<Zone uploader={uploader} />);
    const clicked = vi.spyOn(screen.getByTestId('input') as HTMLInputElement, 'click');
    fireEvent.click(screen.getByTestId('root'));
    expect(clicked).toHaveBeenCalledTimes(1);
  });

  it('accept entries become picker types: MIME types as keys, extensions under a generic type', () => {
    expect(pickerTypes(undefined)).toBeUndefined();
    expect(pickerTypes(['.pdf', '.txt', 'image/png'])).toEqual([{ accept: { 'application/octet-stream': ['.pdf', '.txt'], 'image/png': [] } }]);
  });
});
