import { readDroppedFiles, relativePathOf } from '../../src/react/readDroppedFiles.js';
import type { DroppedEntry, DroppedItem } from '../../src/react/readDroppedFiles.js';

interface FakeEntry extends DroppedEntry {
  file?(ok: (file: File) => void): void;
  createReader?(): { readEntries(ok: (entries: DroppedEntry[]) => void): void };
}

function fileEntry(path: string): FakeEntry {
  const file = new File([path], path.split('/').at(-1) ?? path);
  return { isFile: true, isDirectory: false, fullPath: path, file: (ok) => queueMicrotask(() => ok(file)) };
}

/** A directory whose reader hands out at most 100 entries per call, as Chromium's does. */
function directoryEntry(path: string, children: FakeEntry[], calls = { count: 0 }): FakeEntry {
  return {
    isFile: false,
    isDirectory: true,
    fullPath: path,
    createReader() {
      let offset = 0;
      return {
        readEntries(ok) {
          calls.count += 1;
          const batch = children.slice(offset, offset + 100);
          offset += batch.length;
          queueMicrotask(() => ok(batch));
        },
      };
    },
  };
}

const entryItem = (entry: FakeEntry): DroppedItem => ({ kind: 'file', getAsFile: () => null, webkitGetAsEntry: () => entry });

describe('readDroppedFiles', () => {
  it('reads a folder of 250 files through repeated readEntries calls until an empty batch', async () => {
    const children = Array.from({ length: 250 }, (_, i) => fileEntry(`/photos/${i}.jpg`));
    const calls = { count: 0 };
    const files = await readDroppedFiles({ items: [entryItem(directoryEntry('/photos', children, calls))], files: [] });

    expect(files).toHaveLength(250);
    expect(files.map((f) => f.name)).toEqual(children.map((_, i) => `${i}.jpg`));
    expect(calls.count).toBe(4);
  });

  it('walks nested folders and remembers each file’s path inside the drop', async () => {
    const nested = directoryEntry('/a/b', [fileEntry('/a/b/deep.txt')]);
    const top = directoryEntry('/a', [fileEntry('/a/top.txt'), nested]);
    const files = await readDroppedFiles({ items: [entryItem(top)], files: [] });

    expect(files.map((f) => f.name)).toEqual(['top.txt', 'deep.txt']);
    expect(files.map(relativePathOf)).toEqual(['a/top.txt', 'a/b/deep.txt']);
  });

  it('keeps drop order for files and folders mixed, taking plain files as they are', async () => {
    const loose = new File(['x'], 'loose.bin');
    const looseItem: DroppedItem = { kind: 'file', getAsFile: () => loose, webkitGetAsEntry: () => fileEntry('/loose.bin') };
    const text: DroppedItem = { kind: 'string', getAsFile: () => null };
    const files = await readDroppedFiles({
      items: [entryItem(directoryEntry('/d', [fileEntry('/d/in.txt')])), text, looseItem],
      files: [],
    });
    expect(files.map((f) => f.name)).toEqual(['in.txt', 'loose.bin']);
    expect(files[1]).toBe(loose);
    expect(relativePathOf(loose)).toBe('loose.bin');
  });

  it('falls back to the FileList where items are not available', async () => {
    const file = new File(['x'], 'x.txt');
    expect(await readDroppedFiles({ files: [file] })).toEqual([file]);
  });
});
