import type { FileHandleLike, Uploader } from '../index.js';

/** The part of Chromium's File System Access picker the widget uses. */
type ShowOpenFilePicker = (options: {
  multiple: boolean;
  types?: { description?: string; accept: Record<string, string[]> }[];
}) => Promise<FileHandleLike[]>;

/**
 * The picker's `types` for an `accept` list: MIME types (and `type/*`) as keys, extensions gathered
 * under a generic type, since the picker keys every extension by a MIME type. Nothing to filter: no types.
 */
export function pickerTypes(accept: readonly string[] | undefined): { accept: Record<string, string[]> }[] | undefined {
  if (!accept?.length) return undefined;
  const byType: Record<string, string[]> = {};
  for (const entry of accept) {
    if (entry.startsWith('.')) (byType['application/octet-stream'] ??= []).push(entry);
    else byType[entry] ??= [];
  }
  return [{ accept: byType }];
}

/**
 * Where the browser has Chromium's File System Access picker (not inside a cross-origin frame, where it
 * throws), the dialog is opened through it, so the chosen files come with handles: addHandles() keeps
 * them (IndexedDB, never the bytes), and after a reload one click resumes without choosing again.
 * Returns false where it does not apply: the caller opens the plain file input instead. Called in the
 * click itself, as the picker requires a user gesture.
 */
export function pickFileHandles(uploader: Uploader, multiple: boolean, accept: readonly string[] | undefined, fallback: () => void): boolean {
  const picker = (globalThis as { showOpenFilePicker?: ShowOpenFilePicker }).showOpenFilePicker;
  if (typeof picker !== 'function' || globalThis.top !== globalThis.self) return false;
  const types = pickerTypes(accept);
  picker({ multiple, ...(types && { types }) }).then(
    (handles) => {
      if (handles.length > 0) void uploader.addHandles(handles).catch(() => undefined);
    },
    (error: unknown) => {
      // The user closed the dialog: nothing to do. Anything else (a type list the browser refuses, a
      // policy): the plain input, while the click's user activation still lasts.
      if ((error as { name?: string } | null)?.name !== 'AbortError') fallback();
    },
  );
  return true;
}
