import { fileFromHandle, indexedDbHandleStore, type FileHandleLike, type HandleStore } from './handleStore.js';
import { findRestorable, type RestoredUpload, type RestoreHost } from './RestoredUpload.js';
import { resumeKey } from './resumeStorage.js';
import type { AddResult, FileSnapshot } from './types.js';

/** The uploader's settings the list reads (live: configure() changes them in place). */
export type RestoredListSettings = Omit<RestoreHost, 'handles'> & { readonly fileHandles?: boolean | HandleStore };

/** What the list needs from its uploader. */
export interface RestoredListHost {
  /** Keys of files the uploader holds now: those are not restored twice. */
  holds(key: string): boolean;
  nextId(): string;
  add(files: File[]): AddResult;
  changed(): void;
}

/**
 * The uploader's restored entries (unfinished uploads of earlier pages) and its kept file handles.
 * Kept apart from the live uploads so the file state machine needs no state without a File.
 */
export class RestoredList {
  readonly #settings: RestoredListSettings;
  readonly #host: RestoredListHost;
  readonly #restoreHost: RestoreHost;
  #entries: RestoredUpload[] = [];
  #handles: HandleStore | null | undefined;
  #restoring: Promise<void> | null = null;
  /** Files added with a handle: the handle is dropped once the upload ends. */
  readonly #handled = new Set<string>();

  constructor(settings: RestoredListSettings, host: RestoredListHost) {
    this.#settings = settings;
    this.#host = host;
    // Reads through to the live settings.
    this.#restoreHost = Object.assign(Object.create(settings) as RestoredListSettings, { handles: () => this.#store() });
  }

  get entries(): readonly RestoredUpload[] {
    return this.#entries;
  }

  snapshots(): FileSnapshot[] {
    return this.#entries.map((entry) => entry.snapshot());
  }

  /**
   * List this endpoint's unfinished uploads from their resume records, with the bytes the server holds.
   * Calls while one runs share it: a hook and a widget on one uploader each restore once mounted.
   */
  restore(): Promise<void> {
    this.#restoring ??= this.#restore().finally(() => (this.#restoring = null));
    return this.#restoring;
  }

  async #restore(): Promise<void> {
    const skip = (key: string): boolean => this.#host.holds(key) || this.#entries.some((entry) => entry.key === key);
    const found = await findRestorable(this.#restoreHost, skip, () => this.#host.nextId());
    const fresh = found.filter((entry) => !skip(entry.key));
    if (fresh.length === 0) return;
    this.#entries = [...this.#entries, ...fresh];
    this.#host.changed();
  }

  /** The restored entry `file` continues, taken off the list: its id carries over to the new upload. */
  take(file: File): string | undefined {
    const key = resumeKey(this.#settings.protocol.endpoint, file);
    const entry = this.#entries.find((candidate) => candidate.key === key);
    if (!entry) return undefined;
    this.#entries = this.#entries.filter((candidate) => candidate !== entry);
    // Chosen again by hand: its kept handle still goes once the upload ends.
    if (entry.handle) this.#handled.add(key);
    return entry.id;
  }

  has(id: string): boolean {
    return this.#entries.some((entry) => entry.id === id);
  }

  /** Discard: off the list at once, then the server upload, record and handle are ended. */
  async discard(id: string): Promise<void> {
    const entry = this.#entries.find((candidate) => candidate.id === id);
    if (!entry) return;
    this.#entries = this.#entries.filter((candidate) => candidate !== entry);
    this.#host.changed();
    await entry.discard(this.#restoreHost);
  }

  /** One click: read the kept handle (the browser may ask the user) and continue the upload. */
  async reopen(id: string): Promise<boolean> {
    const entry = this.#entries.find((candidate) => candidate.id === id);
    const file = entry?.handle && (await fileFromHandle(entry.handle));
    // A changed file (another size or date) is not the one uploaded: add() then starts a new upload,
    // and the old entry stays for the user to discard.
    if (!entry || !file || resumeKey(this.#settings.protocol.endpoint, file) !== entry.key) return false;
    this.#host.add([file]);
    this.#handled.add(entry.key);
    return true;
  }

  /** Add files from handles, keeping each handle so a reload can resume it with one click. */
  async addHandles(handles: Iterable<FileHandleLike>): Promise<AddResult> {
    const kept = [...handles];
    const files = await Promise.all(kept.map((handle) => handle.getFile()));
    const result = this.#host.add(files);
    const accepted = new Set(result.accepted);
    await Promise.all(
      result.files.map((added, i) => {
        if (!accepted.has(added.id)) return undefined;
        const key = resumeKey(this.#settings.protocol.endpoint, added.file);
        this.#handled.add(key);
        return this.#store()?.set(key, kept[i]!);
      }),
    );
    return result;
  }

  /** An upload ended (completed or canceled): its handle has nothing left to resume. */
  ended(key: string): void {
    if (this.#handled.delete(key)) void this.#store()?.remove(key);
  }

  #store(): HandleStore | null {
    const option = this.#settings.fileHandles ?? true;
    if (this.#handles === undefined) {
      this.#handles = option === false || !this.#settings.storage() ? null : option === true ? indexedDbHandleStore() : option;
    }
    return this.#handles;
  }
}
