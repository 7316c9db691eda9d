import type { FileHandleLike } from '../index.js';
import type { DroppedDirectoryEntry, DroppedEntry } from './readDirectory.js';

export type { DroppedDirectoryEntry, DroppedEntry, DroppedFileEntry } from './readDirectory.js';

/** The parts of DataTransfer a drop needs, as narrow interfaces so tests can drive them without a browser. */
export interface DroppedItem {
  readonly kind: string;
  getAsFile(): File | null;
  webkitGetAsEntry?(): DroppedEntry | null;
  /** Chromium's File System Access: a handle that can be kept (IndexedDB) to resume after a reload. */
  getAsFileSystemHandle?(): Promise<FileHandleLike | { readonly kind: string } | null>;
}
export interface DroppedData {
  readonly items?: ArrayLike<DroppedItem>;
  readonly files: ArrayLike<File>;
}

const relativePaths = new WeakMap<File, string>();
const droppedHandles = new WeakMap<File, Promise<FileHandleLike | null>>();

/** The File System Access handle a dropped file came with (Chromium), if any; resolves null when none. */
export function droppedHandleOf(file: File): Promise<FileHandleLike | null> | undefined {
  return droppedHandles.get(file);
}

function isFileHandle(handle: FileHandleLike | { readonly kind: string } | null): handle is FileHandleLike {
  return handle !== null && handle.kind === 'file' && 'getFile' in handle;
}

/**
 * The path of a file inside the folder it was dropped or chosen with ("photos/2024/a.jpg"),
 * else its name. Useful in `metadata: (file) => ({ relativePath: relativePathOf(file) })`.
 */
export function relativePathOf(file: File): string {
  return file.webkitRelativePath || relativePaths.get(file) || file.name;
}

/**
 * Every file of a drop, folders included (recursively), in drop order.
 * Must be called during the drop event: the browser empties the DataTransfer when the handler returns,
 * so the entries are taken synchronously and only their contents are read afterwards.
 */
export function readDroppedFiles(data: DroppedData): Promise<File[]> {
  const items = Array.from(data.items ?? []).filter((item) => item.kind === 'file');
  if (items.length === 0) return Promise.resolve(Array.from(data.files));
  const parts = items.map((item): File[] | Promise<File[]> => {
    const entry = item.webkitGetAsEntry?.() ?? null;
    // Folders are rarer than files: their reader loads only for them.
    if (entry?.isDirectory) return import('./readDirectory.js').then((m) => m.readDirectory(entry as DroppedDirectoryEntry, relativePaths));
    // Asked now, during the event, like the entries: the items are gone once the handler returns.
    const handle = item.getAsFileSystemHandle?.();
    const file = item.getAsFile();
    if (file && handle) droppedHandles.set(file, handle.then((found) => (isFileHandle(found) ? found : null), () => null));
    return file ? [file] : [];
  });
  return Promise.all(parts).then((lists) => lists.flat());
}
