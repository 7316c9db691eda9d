import { useMemo } from 'react';
import type {
  Clock,
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
import { useConfigureSync } from './useConfigureSync.js';
import { useDropzone } from './useDropzone.js';
import type { Dropzone } from './useDropzone.js';
import { isUploader, useOwnedUploader } from './useOwnedUploader.js';
import { useUploadSnapshot } from './useUploadSnapshot.js';

export interface UseUploadConfig {
  /** Re-render at most once per this many ms while uploading. Default 100 (10 per second); 0 = every change. */
  throttleMs?: number;
  /** Time source of the throttle; defaults to the uploader options' clock, then the real one. */
  clock?: Clock;
  /** `accept` for the file input; defaults to `restrictions.accept` of the options. */
  accept?: readonly string[];
  /** One file only: the dialog chooses one, and a drop or paste of several adds the first. */
  multiple?: boolean;
  disabled?: boolean;
  /** The language of `format` (words, bytes, speeds, times). Default English. */
  locale?: Locale;
}

/** The uploader's actions, bound once: same identity across renders. */
export type UploadActions = Pick<Uploader, 'add' | 'start' | 'pause' | 'resume' | 'cancel' | 'retry' | 'remove'> & {
  /** Start every queued file (autoStart: false); waits while restrictions.minFiles is unmet (totals.filesNeeded). */
  uploadAll(): void;
};

export interface UseUploadResult extends Dropzone, UploadActions {
  files: readonly FileSnapshot[];
  totals: Totals;
  memory: MemorySnapshot;
  snapshot: UploadSnapshot;
  uploader: Uploader;
  /** Words and numbers in the configured locale, e.g. `format.rejection(file.rejection)`. */
  format: Format;
}

/**
 * Adapts an Uploader to React. Given options, it creates the uploader once, keeps the live options in
 * sync through `configure()` and destroys it on the last unmount; given an Uploader, it only borrows it.
 */
export function useUpload(source: UploaderOptions | Uploader, config: UseUploadConfig = {}): UseUploadResult {
  const options = isUploader(source) ? null : source;
  const uploader = useOwnedUploader(source);
  useConfigureSync(uploader, options);
  const snapshot = useUploadSnapshot(uploader, { throttleMs: config.throttleMs, clock: config.clock ?? options?.clock });

  // Stable per uploader, and callable detached (`const { pause } = useUpload(...)`).
  const actions = useMemo(
    () => ({
      add: (files: Iterable<File> | ArrayLike<File>) => uploader.add(files),
      start: (id?: string) => uploader.start(id),
      pause: (id?: string) => uploader.pause(id),
      resume: (id?: string) => uploader.resume(id),
      cancel: (id?: string) => uploader.cancel(id),
      retry: (id?: string) => uploader.retry(id),
      remove: (id: string) => uploader.remove(id),
      uploadAll: () => uploader.start(),
    }),
    [uploader],
  );
  const format = useMemo(() => createFormat(config.locale), [config.locale]);

  const dropzone = useDropzone({
    onFiles: actions.add,
    accept: config.accept ?? options?.restrictions?.accept,
    multiple: config.multiple,
    disabled: config.disabled,
  });

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
