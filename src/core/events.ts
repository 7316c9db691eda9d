import type { FileHandle, FileOutcome, FileSnapshot, FileStatus, UploaderEvents } from './types.js';
import { UploadError } from './UploadError.js';

/** What the hub reads of a file upload. */
export interface EventSource {
  readonly id: string;
  readonly status: FileStatus;
  snapshot(): FileSnapshot;
}

/**
 * Turns a file's status changes into callbacks and settles its handle. Callbacks run in a microtask:
 * later, outside the engine's step, so a throwing callback surfaces as an uncaught error and uploads go on.
 */
export interface EventHub {
  /** A new file; returns its handle. */
  track(upload: EventSource, file: File): FileHandle;
  /** Called on every change of a file; acts only when its status changed. */
  saw(upload: EventSource): void;
  /** After each notification: progress callbacks for files whose bytes moved. */
  progress(files: readonly FileSnapshot[]): void;
  /** The file left the list. */
  forget(id: string): void;
  /** Handles still open reject: their files will not end in this uploader. */
  destroy(): void;
}

/** What the hub keeps per file: the status it last saw, the bytes last reported, the open handle. */
interface Tracked {
  status: FileStatus;
  sent?: number;
  pending?: { resolve(outcome: FileOutcome): void; reject(error: UploadError): void };
}

/** `options` is read live (configure() may swap callbacks); `busy`: is a file running or about to? */
export function createEventHub(options: UploaderEvents, busy: () => boolean): EventHub {
  const files = new Map<string, Tracked>();
  let batch: FileSnapshot[] = [];

  const settle = (entry: Tracked, file: FileSnapshot): void => {
    const pending = entry.pending;
    entry.pending = undefined;
    if (file.status === 'completed') pending?.resolve({ status: 'completed', file, result: file.result ?? {} });
    else if (file.status === 'canceled') pending?.resolve({ status: 'canceled', file });
    else pending?.reject(file.error ?? new UploadError('rejected-file', file.rejection?.message ?? file.name));
  };

  const completeBatch = (): void => {
    if (batch.length === 0 || busy()) return;
    const done = batch;
    batch = [];
    const of = (status: FileStatus) => done.filter((file) => file.status === status);
    options.onComplete?.({ successful: of('completed'), failed: of('failed'), canceled: of('canceled') });
  };

  return {
    track(upload, file) {
      const entry: Tracked = { status: upload.status };
      const done = new Promise<FileOutcome>((resolve, reject) => (entry.pending = { resolve, reject }));
      // Nobody need await `done`: a failure is reported by onError and the snapshot as well.
      done.catch(() => undefined);
      files.set(upload.id, entry);
      const snapshot = upload.snapshot();
      if (upload.status === 'rejected') settle(entry, snapshot);
      else queueMicrotask(() => options.onFileAdded?.(snapshot));
      return { id: upload.id, file, done };
    },

    saw(upload) {
      const entry = files.get(upload.id);
      if (!entry || entry.status === upload.status) return;
      entry.status = upload.status;
      if (upload.status !== 'completed' && upload.status !== 'failed' && upload.status !== 'canceled') return;
      const snapshot = upload.snapshot();
      batch.push(snapshot);
      settle(entry, snapshot);
      queueMicrotask(() => {
        if (snapshot.status === 'completed') options.onSuccess?.(snapshot, snapshot.result ?? {});
        if (snapshot.status === 'failed' && snapshot.error) options.onError?.(snapshot, snapshot.error);
        completeBatch();
      });
    },

    progress(snapshots) {
      const onProgress = options.onProgress;
      if (!onProgress) return;
      for (const file of snapshots) {
        // Only files of this uploader are ever 'uploading' (restored entries stay 'paused').
        const entry = files.get(file.id);
        if (!entry || file.status !== 'uploading' || entry.sent === file.bytesSent) continue;
        entry.sent = file.bytesSent;
        queueMicrotask(() => onProgress(file));
      }
    },

    forget(id) {
      files.delete(id);
    },

    destroy() {
      for (const entry of files.values()) {
        entry.pending?.reject(new UploadError('aborted', 'The uploader was destroyed'));
        entry.pending = undefined;
      }
      batch = [];
    },
  };
}
