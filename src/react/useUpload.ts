import { useCallback, useEffect, useMemo } from 'react';
import type {
  FileSnapshot,
  MemorySnapshot,
  Totals,
  Uploader,
  UploaderOptions,
  UploadSnapshot,
} from '../index.js';
import { createFormat } from './format.js';
import type { Format } from './format.js';
import type { Locale } from './locale.js';
import { useDropzone } from './useDropzone.js';
import { droppedHandleOf } from './readDroppedFiles.js';
import { pickFileHandles } from './pickFileHandles.js';
import type { DropzoneState } from './useDropzone.js';
import { isUploader, useOwnedUploader } from './useOwnedUploader.js';
import { useUploadSnapshot } from './useUploadSelector.js';

export interface UseUploadConfig {
  /** `accept` for the file input; defaults to `restrictions.accept` of the options. */
  accept?: readonly string[];
  /** One file only: the dialog chooses one, and a drop or paste of several adds the first. */
  multiple?: boolean;
  disabled?: boolean;
  /** The language of `format` (words, bytes, speeds, times). Default English. */
  locale?: Locale;
  /** List unfinished uploads of earlier pages (uploader.restore()) once mounted. Default true. */
  restore?: boolean;
}

/** The uploader's actions, bound once: same identity across renders. */
export type UploadActions = Pick<Uploader, 'add' | 'start' | 'pause' | 'resume' | 'cancel' | 'retry' | 'remove'> & {
  /** Start every queued file (autoStart: false); waits while restrictions.minFiles is unmet (totals.filesNeeded). */
  uploadAll(): void;
};

export interface UseUploadResult extends DropzoneState, UploadActions {
  files: readonly FileSnapshot[];
  totals: Totals;
  memory: MemorySnapshot;
  snapshot: UploadSnapshot;
  uploader: Uploader;
  /** Words and numbers in the configured locale, e.g. `format.rejection(file.rejection)`. */
  format: Format;
}

/**
 * Adapts an Uploader to React. It re-renders on every change the engine publishes (progress at most
 * once per the options' `progressInterval`); a component that reads a part only uses
 * `useUploadSelector(uploader, select)` instead.
 * Given options, it creates the uploader once, keeps the live options in
 * sync through `configure()` and destroys it on the last unmount; given an Uploader, it only borrows it.
 */
export function useUpload(source: UploaderOptions | Uploader, config: UseUploadConfig = {}): UseUploadResult {
  const options = isUploader(source) ? null : source;
  const uploader = useOwnedUploader(source);
  const snapshot = useUploadSnapshot(uploader);
  const restore = config.restore ?? true;
  useEffect(() => {
    // After mount only: server rendering touches no storage and asks no server.
    if (restore) void uploader.restore().catch(() => undefined);
  }, [uploader, restore]);

  // Stable per uploader, and callable detached (`const { pause } = useUpload(...)`).
  const actions = useMemo(
    () => ({
      add: (files: Iterable<File> | ArrayLike<File>) => uploader.add(files),
      start: (id?: string) => uploader.start(id),
      pause: (id?: string) => uploader.pause(id),
      resume: (id?: string) => uploader.resume(id),
      cancel: (id?: string) => uploader.cancel(id),
      retry: (id?: string) => uploader.retry(id),
      remove: (id?: string) => uploader.remove(id),
      uploadAll: () => uploader.start(),
    }),
    [uploader],
  );
  const format = useMemo(() => createFormat(config.locale), [config.locale]);

  const onFiles = useMemo(() => (files: File[]) => addKeepingHandles(uploader, files), [uploader]);
  const accept = config.accept ?? options?.restrictions?.accept;
  const multiple = config.multiple ?? true;
  // Handles kept unless the app said not to (fileHandles: false): then the plain input, as before.
  const keepHandles = options?.fileHandles !== false;
  const pick = useCallback(
    (fallback: () => void) => keepHandles && pickFileHandles(uploader, multiple, accept, fallback),
    [uploader, multiple, accept, keepHandles],
  );
  const dropzone = useDropzone({ onFiles, accept, multiple, disabled: config.disabled, pick });

  return {
    files: snapshot.files,
    totals: snapshot.totals,
    memory: snapshot.memory,
    snapshot,
    uploader,
    format,
    ...actions,
    ...dropzone,
  };
}

/**
 * Files dropped in Chromium come with File System Access handles: those go through addHandles(), which
 * keeps each handle so a reload can resume with one click. Others (chosen, pasted, other browsers) are
 * added at once.
 */
function addKeepingHandles(uploader: Uploader, files: File[]): void {
  const handles = files.map(droppedHandleOf);
  if (!handles.some(Boolean)) return void uploader.add(files);
  // The handles resolve null, never reject, when there is none.
  void Promise.all(handles).then((found) => {
    const plain = files.filter((_, i) => !found[i]);
    if (plain.length > 0) uploader.add(plain);
    const kept = found.filter((handle) => handle != null);
    // A handle that cannot be read now (revoked, moved): the dropped files themselves still go up.
    if (kept.length > 0) uploader.addHandles(kept).catch(() => uploader.add(files.filter((_, i) => found[i])));
  });
}
