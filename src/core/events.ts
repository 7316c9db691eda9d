import type { UploadResult } from './ports.js';
import type { BatchSummary, FileHandle, FileOutcome, FileSnapshot, FileStatus, UploaderEvents } from './types.js';
import { UploadError } from './UploadError.js';

/** What the hub reads of a file upload. */
export interface EventSource {
  readonly id: string;
  readonly status: FileStatus;
  snapshot(): FileSnapshot;
}

interface Pending {
  resolve(outcome: FileOutcome): void;
  reject(error: UploadError): void;
}

/** Turns a file's status changes into callbacks and settles its handle. */
export class EventHub {
  readonly #options: UploaderEvents;
  readonly #busy: () => boolean;
  readonly #status = new Map<string, FileStatus>();
  readonly #pending = new Map<string, Pending>();
  readonly #sent = new Map<string, number>();
  #batch: FileSnapshot[] = [];

  /** `options` is read live (configure() may swap callbacks); `busy`: is a file running or about to? */
  constructor(options: UploaderEvents, busy: () => boolean) {
    this.#options = options;
    this.#busy = busy;
  }

  /** A new file; returns its handle. */
  track(upload: EventSource, file: File): FileHandle {
    let pending!: Pending;
    const done = new Promise<FileOutcome>((resolve, reject) => (pending = { resolve, reject }));
    // Nobody need await `done`: a failure is reported by onError and the snapshot as well.
    done.catch(() => undefined);
    this.#pending.set(upload.id, pending);
    this.#status.set(upload.id, upload.status);
    const snapshot = upload.snapshot();
    if (upload.status === 'rejected') this.#settle(upload.id, snapshot);
    else this.#emit(() => this.#options.onFileAdded?.(snapshot));
    return { id: upload.id, file, done };
  }

  /** Called on every change of a file; acts only when its status changed. */
  saw(upload: EventSource): void {
    const before = this.#status.get(upload.id);
    if (before === undefined || before === upload.status) return;
    this.#status.set(upload.id, upload.status);
    if (upload.status !== 'completed' && upload.status !== 'failed' && upload.status !== 'canceled') return;
    const snapshot = upload.snapshot();
    this.#batch.push(snapshot);
    this.#settle(upload.id, snapshot);
    this.#emit(() => {
      if (snapshot.status === 'completed') this.#options.onSuccess?.(snapshot, snapshot.result ?? {});
      if (snapshot.status === 'failed' && snapshot.error) this.#options.onError?.(snapshot, snapshot.error);
      this.#completeBatch();
    });
  }

  /** After each notification: progress callbacks for files whose bytes moved. */
  progress(files: readonly FileSnapshot[]): void {
    const onProgress = this.#options.onProgress;
    if (!onProgress) return;
    for (const file of files) {
      if (file.status !== 'uploading' || this.#sent.get(file.id) === file.bytesSent) continue;
      this.#sent.set(file.id, file.bytesSent);
      this.#emit(() => onProgress(file));
    }
  }

  /** The file left the list. */
  forget(id: string): void {
    this.#status.delete(id);
    this.#sent.delete(id);
    this.#pending.delete(id);
  }

  /** Handles still open reject: their files will not end in this uploader. */
  destroy(): void {
    for (const pending of this.#pending.values()) pending.reject(new UploadError('aborted', 'The uploader was destroyed'));
    this.#pending.clear();
    this.#batch = [];
  }

  #settle(id: string, file: FileSnapshot): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    if (file.status === 'completed') pending.resolve({ status: 'completed', file, result: file.result ?? {} });
    else if (file.status === 'canceled') pending.resolve({ status: 'canceled', file });
    else pending.reject(file.error ?? new UploadError('rejected-file', file.rejection?.message ?? file.name));
  }

  #completeBatch(): void {
    if (this.#batch.length === 0 || this.#busy()) return;
    const batch = this.#batch;
    this.#batch = [];
    const of = (status: FileStatus) => batch.filter((file) => file.status === status);
    this.#options.onComplete?.({ successful: of('completed'), failed: of('failed'), canceled: of('canceled') });
  }

  /** Later, outside the engine's step; a throwing callback surfaces as an uncaught error, uploads go on. */
  #emit(callback: () => void): void {
    queueMicrotask(callback);
  }
}
