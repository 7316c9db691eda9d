// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { RootProps } from '../../src/react/useDropzone.js';
import { useDropzone } from '../../src/react/useDropzone.js';
import type { DroppedData, DroppedEntry } from '../../src/react/readDroppedFiles.js';

function Zone({ onFiles, root = {}, accept }: { onFiles: (files: File[]) => void; root?: RootProps; accept?: string[] }) {
  const { getRootProps, getInputProps, isDragActive } = useDropzone({ onFiles, accept });
  return (
    <div {...getRootProps(root)} data-testid="root">
      <input {...getInputProps()} data-testid="input" />
      <span data-testid="child">{isDragActive ? 'drop now' : 'drop here'}</span>
      <button type="button">inner</button>
    </div>
  );
}

function setup(root?: RootProps) {
  const onFiles = vi.fn<(files: File[]) => void>();
  render(<Zone onFiles={onFiles} root={root} accept={['image/*', '.pdf']} />);
  const input = screen.getByTestId<HTMLInputElement>('input');
  const opened = vi.spyOn(input, 'click');
  return { onFiles, input, opened, root: screen.getByTestId('root') };
}

const fileItem = (file: File) => ({ kind: 'file', getAsFile: () => file, webkitGetAsEntry: () => null });
const filesData = (...files: File[]): DroppedData => ({ items: files.map(fileItem), files });

describe('useDropzone prop getters', () => {
  it('give a focusable root and a hidden file input with accept and multiple', () => {
    const { root, input } = setup();
    expect(root.getAttribute('tabindex')).toBe('0');
    expect(root.getAttribute('role')).toBe('button');
    expect(input.type).toBe('file');
    expect(input.multiple).toBe(true);
    expect(input.accept).toBe('image/*,.pdf');
    expect(input.hidden).toBe(true);
  });

  it('open the input on click, and the input click does not bubble back into another open', () => {
    const { root, opened } = setup();
    fireEvent.click(root);
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it('open the input with Enter and Space on the root, but not for keys on a child', async () => {
    const { root, opened } = setup();
    root.focus();
    await userEvent.keyboard('{Enter}');
    await userEvent.keyboard(' ');
    expect(opened).toHaveBeenCalledTimes(2);

    fireEvent.keyDown(screen.getByText('inner'), { key: 'Enter' });
    expect(opened).toHaveBeenCalledTimes(2);
  });

  it('call the caller handler first and skip ours when it calls preventDefault', () => {
    const order: string[] = [];
    const { root, opened } = setup({
      onClick: () => order.push('theirs'),
      onKeyDown: (event) => event.preventDefault(),
    });
    opened.mockImplementation(() => order.push('ours'));

    fireEvent.click(root);
    fireEvent.keyDown(root, { key: 'Enter' });

    expect(order).toEqual(['theirs', 'ours']);
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it('skip ours when the caller stops propagation, and keep the caller props', () => {
    const { root, opened } = setup({ onClick: (event) => event.stopPropagation(), className: 'mine', tabIndex: -1 });
    fireEvent.click(root);
    expect(opened).not.toHaveBeenCalled();
    expect(root.className).toBe('mine');
    expect(root.getAttribute('tabindex')).toBe('-1');
  });

  it('pass the input element to a ref given to getInputProps', () => {
    const ref = { current: null as HTMLInputElement | null };
    function WithRef() {
      const { getInputProps } = useDropzone({ onFiles: () => undefined });
      return <input {...getInputProps({ ref })} data-testid="with-ref" />;
    }
    render(<WithRef />);
    expect(ref.current).toBe(screen.getByTestId('with-ref'));
  });

  it('hand chosen files to onFiles and clear the input so the same file can be chosen again', async () => {
    const { input, onFiles } = setup();
    const photo = new File(['png'], 'photo.png', { type: 'image/png' });
    await userEvent.upload(input, photo);
    expect(onFiles).toHaveBeenCalledWith([photo]);
    expect(input.value).toBe('');
  });

  it('add pasted files and leave pasted text alone', () => {
    const { root, onFiles } = setup();
    const pasted = new File(['a'], 'pasted.png', { type: 'image/png' });
    fireEvent.paste(root, { clipboardData: { files: [] } });
    expect(onFiles).not.toHaveBeenCalled();
    fireEvent.paste(root, { clipboardData: { files: [pasted] } });
    expect(onFiles).toHaveBeenCalledWith([pasted]);
  });

  it('report drag-over as data-drag-active across enter/leave pairs of child elements', () => {
    const { root } = setup();
    const child = screen.getByTestId('child');
    const drag = { dataTransfer: { types: ['Files'], dropEffect: 'none' } };
    fireEvent.dragEnter(root, drag);
    fireEvent.dragEnter(child, drag);
    fireEvent.dragLeave(root, drag);
    expect(root.hasAttribute('data-drag-active')).toBe(true);
    expect(child.textContent).toBe('drop now');
    fireEvent.dragLeave(child, drag);
    expect(root.hasAttribute('data-drag-active')).toBe(false);
  });

  it('ignore drags that carry no files (text, links)', () => {
    const { root } = setup();
    fireEvent.dragEnter(root, { dataTransfer: { types: ['text/plain'] } });
    expect(root.hasAttribute('data-drag-active')).toBe(false);
  });

  it('allow the drop on dragover and add the dropped files', async () => {
    const { root, onFiles } = setup();
    const pdf = new File(['%PDF'], 'résumé.pdf', { type: 'application/pdf' });
    const over = fireEvent.dragOver(root, { dataTransfer: { types: ['Files'], dropEffect: 'none' } });
    expect(over).toBe(false);
    fireEvent.dragEnter(root, { dataTransfer: { types: ['Files'] } });
    fireEvent.drop(root, { dataTransfer: filesData(pdf) });
    await vi.waitFor(() => expect(onFiles).toHaveBeenCalledWith([pdf]));
    expect(root.hasAttribute('data-drag-active')).toBe(false);
  });

  it('leave a drop to the caller when its onDrop calls preventDefault', async () => {
    const { root, onFiles } = setup({ onDrop: (event) => event.preventDefault() });
    fireEvent.drop(root, { dataTransfer: filesData(new File(['a'], 'a.pdf')) });
    await Promise.resolve();
    await Promise.resolve();
    expect(onFiles).not.toHaveBeenCalled();
  });

  it('expand dropped folders', async () => {
    const { root, onFiles } = setup();
    const inner = new File(['1'], 'inner.txt');
    const file: DroppedEntry & { file(ok: (f: File) => void): void } = {
      isFile: true,
      isDirectory: false,
      fullPath: '/dir/inner.txt',
      file: (ok) => ok(inner),
    };
    let served = false;
    const dir = {
      isFile: false,
      isDirectory: true,
      fullPath: '/dir',
      createReader: () => ({
        readEntries: (ok: (entries: DroppedEntry[]) => void) => {
          ok(served ? [] : [file]);
          served = true;
        },
      }),
    };
    const item = { kind: 'file', getAsFile: () => null, webkitGetAsEntry: () => dir };
    fireEvent.drop(root, { dataTransfer: { items: [item], files: [] } });
    await vi.waitFor(() => expect(onFiles).toHaveBeenCalledWith([inner]));
  });
});

describe('useDropzone with multiple: false', () => {
  function Single({ onFiles }: { onFiles: (files: File[]) => void }) {
    const { getRootProps, getInputProps } = useDropzone({ onFiles, multiple: false });
    return (
      <div {...getRootProps()} data-testid="single">
        <input {...getInputProps()} data-testid="single-input" />
      </div>
    );
  }

  it('lets the dialog choose one, and a drop or a paste of several add only the first', async () => {
    const onFiles = vi.fn<(files: File[]) => void>();
    render(<Single onFiles={onFiles} />);
    expect(screen.getByTestId<HTMLInputElement>('single-input').multiple).toBe(false);
    const root = screen.getByTestId('single');
    const [a, b] = [new File(['a'], 'a.pdf'), new File(['b'], 'b.pdf')];
    fireEvent.drop(root, { dataTransfer: filesData(a, b) });
    await vi.waitFor(() => expect(onFiles).toHaveBeenCalledWith([a]));
    fireEvent.paste(root, { clipboardData: { files: [b, a] } });
    expect(onFiles).toHaveBeenLastCalledWith([b]);
    expect(onFiles).toHaveBeenCalledTimes(2);
  });
});
