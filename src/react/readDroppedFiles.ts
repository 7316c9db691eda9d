import type { FileHandleLike } from '../index.js';

/**
 * The parts of DataTransfer and of the (non-standard but universal) FileSystemEntry API a drop
 * needs; written as narrow interfaces so tests can drive them without a browser.
 */
export interface DroppedEntry {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly fullPath: string;
}
export interface DroppedFileEntry extends DroppedEntry {
  file(success: (file: File) => void, failure?: (error: DOMException) => void): void;
}
export interface DroppedDirectoryEntry extends DroppedEntry {
  createReader(): {
    readEntries(success: (entries: DroppedEntry[]) => void, failure?: (error: DOMException) => void): void;
  };
}
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

function isDirectory(entry: DroppedEntry): entry is DroppedDirectoryEntry {
  return entry.isDirectory;
}
function isFile(entry: DroppedEntry): entry is DroppedFileEntry {
  return entry.isFile;
}

async function readEntry(entry: DroppedEntry): Promise<File[]> {
  if (isFile(entry)) {
    const file = await new Promise<File>((resolve, reject) => entry.file(resolve, reject));
    relativePaths.set(file, entry.fullPath.replace(/^\//, ''));
    return [file];
  }
  if (isDirectory(entry)) return readDirectory(entry);
  return [];
}

async function readDirectory(directory: DroppedDirectoryEntry): Promise<File[]> {
  const reader = directory.createReader();
  const files: File[] = [];
  // Chromium returns at most 100 entries per readEntries call: read until a batch comes back empty.
  for (;;) {
    const batch = await new Promise<DroppedEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return files;
    for (const entry of batch) files.push(...(await readEntry(entry)));
  }
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
    if (entry && isDirectory(entry)) return readDirectory(entry);
    // Asked now, during the event, like the entries: the items are gone once the handler returns.
    const handle = item.getAsFileSystemHandle?.();
    const file = item.getAsFile();
    if (file && handle) droppedHandles.set(file, handle.then((found) => (isFileHandle(found) ? found : null), () => null));
    return file ? [file] : [];
  });
  return Promise.all(parts).then((lists) => lists.flat());
}
