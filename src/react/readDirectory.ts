/**
 * Reading the contents of dropped folders: loaded (import()) only when a drop holds a folder, since
 * most drops are plain files. The entries were taken during the drop event; their contents can be
 * read afterwards.
 */

/**
 * The parts of the (non-standard but universal) FileSystemEntry API a drop needs; written as narrow
 * interfaces so tests can drive them without a browser.
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

/** Where each file sat inside the dropped folder ("photos/2024/a.jpg"), for relativePathOf. */
type Paths = WeakMap<File, string>;

async function readEntry(entry: DroppedEntry, paths: Paths): Promise<File[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as DroppedFileEntry).file(resolve, reject));
    paths.set(file, entry.fullPath.replace(/^\//, ''));
    return [file];
  }
  return entry.isDirectory ? readDirectory(entry as DroppedDirectoryEntry, paths) : [];
}

/** Every file under `directory`, recursively, in the order the browser lists them. */
export async function readDirectory(directory: DroppedDirectoryEntry, paths: Paths): Promise<File[]> {
  const reader = directory.createReader();
  const files: File[] = [];
  // Chromium returns at most 100 entries per readEntries call: read until a batch comes back empty.
  for (;;) {
    const batch = await new Promise<DroppedEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return files;
    for (const entry of batch) files.push(...(await readEntry(entry, paths)));
  }
}
