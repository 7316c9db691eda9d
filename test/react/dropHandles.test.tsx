// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { FileHandleLike } from '../../src/index.js';
import { useUpload } from '../../src/react/useUpload.js';
import { createFakeUploader } from '../support/fakeUploader.js';

function Zone({ uploader }: { uploader: ReturnType<typeof createFakeUploader> }) {
  const { getRootProps, getInputProps } = useUpload(uploader);
  return (
    <div {...getRootProps()} data-testid="root">
      <input {...getInputProps()} />
    </div>
  );
}

const handleOf = (file: File): FileHandleLike => ({ kind: 'file', getFile: async () => file });

describe('drops in Chromium carry File System Access handles', () => {
  it('a dropped file with a handle goes through addHandles (kept for a one-click resume); one without is added at once', async () => {
    const uploader = createFakeUploader();
    const addHandles = vi.spyOn(uploader, 'addHandles');
    const add = vi.spyOn(uploader, 'add');
    render(<Zone uploader={uploader} />);
    const withHandle = new File(['a'], 'a.jpg', { type: 'image/jpeg' });
    const without = new File(['b'], 'b.txt');
    const handle = handleOf(withHandle);
    const asked = vi.fn(async () => handle);
    const items = [
      // Asked during the event, as Chromium requires (the items are emptied when the handler returns).
      { kind: 'file', getAsFile: () => withHandle, webkitGetAsEntry: () => null, getAsFileSystemHandle: asked },
      { kind: 'file', getAsFile: () => without, webkitGetAsEntry: () => null, getAsFileSystemHandle: async () => null },
    ];
    fireEvent.drop(screen.getByTestId('root'), { dataTransfer: { items, files: [withHandle, without] } });
    expect(asked).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(addHandles).toHaveBeenCalledWith([handle]));
    // b.txt added directly; a.jpg by the (fake's) addHandles from its handle: each once.
    expect(add.mock.calls.map(([files]) => Array.from(files, (f) => f.name))).toEqual([['b.txt'], ['a.jpg']]);
  });

  it('a drop without handles (other browsers) adds the files synchronously, as before', () => {
    const uploader = createFakeUploader();
    const addHandles = vi.spyOn(uploader, 'addHandles');
    render(<Zone uploader={uploader} />);
    const file = new File(['a'], 'a.pdf');
    fireEvent.drop(screen.getByTestId('root'), { dataTransfer: { items: [{ kind: 'file', getAsFile: () => file, webkitGetAsEntry: () => null }], files: [file] } });
    return waitFor(() => expect(uploader.calls.filter((c) => c.method === 'add')).toHaveLength(1)).then(() => expect(addHandles).not.toHaveBeenCalled());
  });
});
