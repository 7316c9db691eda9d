import { createEventHub, type EventHub } from './events.js';
import type { FileHandleLike } from './handleStore.js';
import type { RestoredList } from './RestoredList.js';
import { FileUpload, type UploadHost } from './FileUpload.js';
import { preloadUpload } from './loadAttempt.js';
import { loadOnce } from './loadOnce.js';
import type { Hashing } from './hashing.js';
import { spawnHashWorker } from './spawnHashWorker.js';
import type { UrlStorage } from './ports.js';
import { rejection as reject } from './locale.js';
import { checkRestrictions } from './restrictions.js';
import { resolveUrlStorage } from './resumeStorage.js';
import { assign, CONFIGURABLE_OPTIONS, DEFAULTS, positive, resolveHeaders, type Settings } from './settings.js';
import { filesNeeded, totalsOf } from './totals.js';
import type { AddResult, ConfigurableOption, FileHandle, MemorySnapshot, Rejection, Uploader, UploaderOptions, UploadSnapshot } from './types.js';

export { CONFIGURABLE_OPTIONS, UPLOADER_DEFAULTS } from './settings.js';

/** Create the framework-agnostic upload engine. */
export function createUploader(options: UploaderOptions): Uploader {
  return new UploaderEngine(options);
}

/** State lives in #private fields: minifiers rename them, unlike property names they must keep. */
class UploaderEngine implements Uploader {
  readonly #settings: Settings;
  readonly #host: UploadHost;
  readonly #listeners = new Set<() => void>();
  #files: FileUpload[] = [];
  #nextId = 1;
  #current: UploadSnapshot;
  /** What listeners last heard of: getSnapshot() may publish a change before its notification runs. */
  #notified: UploadSnapshot;
  /** Something changed since #current was built: the next read rebuilds it. */
  #dirty = false;
  /** A change listeners must hear of without waiting for the window: a failure, or nothing left running. */
  #prompt = false;
  #notifiedAt = Number.NEGATIVE_INFINITY;
  #notifyQueued = false;
  #pumpQueued = false;
  #timer: unknown = null;
  #destroyed = false;
  readonly #events: EventHub;
  /** Unfinished uploads of earlier pages, listed by restore(); loaded with the first restore() or addHandles(). */
  #restored: RestoredList | null = null;
  /** The pool and hasher, loaded when a hashed file is added or with the first hash; null until then. */
  #loaded: Hashing | null = null;
  readonly #idleMemory: MemorySnapshot;

  constructor(options: UploaderOptions) {
    if (!options?.protocol) throw new TypeError('createUploader: `protocol` is required');
    const settings: Settings = { ...DEFAULTS, protocol: options.protocol };
    assign(settings, options, Object.keys(options) as (keyof UploaderOptions)[]);
    const memoryBudget = positive(settings.memoryBudget, 'memoryBudget');
    const partSize = (settings.partSize = positive(settings.partSize, 'partSize'));
    settings.maxPartSize = Math.max(partSize, settings.maxPartSize);
    // Hashed parts must fit one pooled buffer; a chunk larger than the budget shrinks to it.
    const bufferSize = Math.min(partSize, memoryBudget);
    // The pool and the hash worker's client come with the first hash (hashing.ts): until then the
    // memory reading is that of a pool nothing leased from.
    this.#idleMemory = {
      budgetBytes: memoryBudget,
      bufferSize,
      ...{ inFlightBytes: 0, peakInFlightBytes: 0, pooledBytes: 0, leasedBuffers: 0, idleBuffers: 0 },
      ...{ buffersCreated: 0, buffersReused: 0, buffersReleased: 0, buffersFreed: 0, leaksDetected: 0 },
    };
    let storage: UrlStorage | null | undefined;
    this.#settings = settings;
    // What a file needs from its uploader; `settings` is shared, not copied: configure() changes it
    // in place, so readers see live values.
    this.#host = {
      settings,
      bufferSize,
      bodyLimit: { bytes: Infinity },
      // The worker starts when a file that will be hashed is added, else on the first hash: nothing
      // happens at import or construction time.
      checksum: (...args) => this.#loadHashing().then(({ checksum }) => checksum(...args)),
      // Resolved on the first add(), not here: an uploader created during server rendering is never
      // used nor destroyed, and must not touch localStorage (a sandboxed iframe even throws on it).
      storage: () => (storage === undefined ? (storage = resolveUrlStorage(settings.resume)) : storage),
      requestHeaders: (refused = false) => resolveHeaders(settings.headers, settings, refused),
      mayResume: (upload: FileUpload) => {
        const index = this.#files.indexOf(upload);
        return !this.#files.some((other, i) => i < index && other.live && other.key === upload.key);
      },
      changed: (upload: FileUpload, urgent: boolean) => {
        this.#events.saw(upload);
        if (upload.status === 'completed' || upload.status === 'canceled') this.#restored?.ended(upload.key);
        this.#changed(urgent, upload.status === 'failed');
      },
    };
    this.#events = createEventHub(settings, () => this.#files.some((f) => f.status === 'uploading' || (f.status === 'queued' && f.wanted)));
    this.#current = this.#notified = this.#build(null);
  }

  add(input: Iterable<File> | ArrayLike<File>): AddResult {
    if (this.#destroyed) throw new Error('This uploader was destroyed; create a new one');
    const result = { accepted: [] as string[], rejected: [] as AddResult['rejected'][number][], pending: [] as string[], files: [] as FileHandle[] };
    const ctx = this.#settings;
    // Async checks put a file in 'checking'; it counts toward maxFiles and maxTotalSize meanwhile.
    const checks = ctx.onBeforeFileAdded || ctx.restrictions?.validate;
    let held = 0;
    let heldBytes = 0;
    for (const file of this.#files) {
      if (file.status === 'canceled' || file.status === 'rejected') continue;
      held++;
      heldBytes += file.file.size;
    }
    for (const file of Array.from(input)) {
      // A file that continues a restored entry takes over its id, so its row stays in place for React.
      const id = this.#restored?.take(file) ?? `file-${this.#nextId++}`;
      const rejection = checkRestrictions(file, ctx.restrictions, held, heldBytes);
      const upload = new FileUpload(id, file, this.#host, rejection, !rejection && !!checks);
      this.#files.push(upload);
      result.files.push(this.#events.track(upload, file));
      if (rejection) {
        result.rejected.push({ id, name: file.name, rejection });
        continue;
      }
      held++;
      heldBytes += file.size;
      if (checks) {
        result.pending.push(id);
        void this.#check(upload);
      } else {
        upload.wanted = ctx.autoStart;
        result.accepted.push(id);
      }
    }
    // The upload code loads while the file waits for its lock, record and open (FileUpload.ts); the
    // hashing code too when its parts will certainly be hashed.
    if (result.accepted.length + result.pending.length) preloadUpload(ctx.protocol, ctx.checksum, () => this.#loadHashing());
    this.#changed(true);
    return result;
  }

  /** onBeforeFileAdded, then validate; a throw refuses the file with the error's message. */
  async #check(upload: FileUpload): Promise<void> {
    const { onBeforeFileAdded, restrictions } = this.#settings;
    const { file } = upload;
    let rejection: Rejection | null = null;
    let change: { name?: string; metadata?: Record<string, string> } | undefined;
    try {
      const answer = await onBeforeFileAdded?.(file);
      if (answer === false || (answer && 'reason' in answer)) {
        rejection = reject('refused', { name: file.name, reason: answer ? answer.reason : undefined });
      } else {
        change = answer ?? undefined;
        const reason = await restrictions?.validate?.(file);
        if (reason) rejection = reject('invalid-file', { name: change?.name || file.name, reason });
      }
    } catch (error) {
      rejection = reject('invalid-file', { name: file.name, reason: error instanceof Error ? error.message : String(error) });
    }
    // Canceled or removed while checking, or the uploader was destroyed: admit() ignores it then.
    if (!this.#destroyed) upload.admit(rejection, this.#settings.autoStart, change);
  }

  start(id?: string): void {
    // A file still being checked starts once admitted.
    for (const file of this.#select(id)) if (file.status === 'queued' || file.status === 'checking') file.wanted = true;
    this.#schedulePump();
  }

  pause(id?: string): void {
    for (const file of this.#select(id)) file.pause();
  }

  resume(id?: string): void {
    if (id !== undefined && this.#restored?.has(id)) return void this.#restored.reopen(id);
    for (const file of this.#select(id)) file.resume();
  }

  async cancel(id?: string): Promise<void> {
    if (id !== undefined && this.#restored?.has(id)) return this.#restored.discard(id);
    await Promise.all(this.#select(id).map((file) => file.cancel()));
  }

  retry(id?: string): void {
    for (const file of this.#select(id)) file.retry();
  }

  remove(id?: string): void {
    if (id !== undefined && this.#restored?.has(id)) return void this.#restored.discard(id);
    if (id === undefined) for (const entry of this.#restored?.snapshots() ?? []) this.#restored?.discard(entry.id);
    // cancel() marks the file canceled at once (the server clean-up runs on), so it goes now.
    for (const file of this.#select(id)) if (file.status !== 'uploading') void file.cancel();
    const before = this.#files.length;
    const gone = this.#files.filter((file) => (id === undefined || file.id === id) && file.settled);
    this.#files = this.#files.filter((file) => !gone.includes(file));
    if (this.#files.length === before) return;
    for (const file of gone) this.#events.forget(file.id);
    this.#changed(true);
  }

  restore(): Promise<void> {
    return this.#destroyed ? Promise.resolve() : this.#restoredList().then((list) => list.restore());
  }

  addHandles(handles: Iterable<FileHandleLike>): Promise<AddResult> {
    return this.#restoredList().then((list) => list.addHandles(handles));
  }

  /** The live settings (read through, never copied), with the uploader's storage and headers. */
  #restoreSettings(): ConstructorParameters<typeof RestoredList>[0] {
    const host = this.#host;
    return Object.assign(Object.create(this.#settings) as Settings, { storage: () => host.storage(), requestHeaders: () => host.requestHeaders(false) });
  }

  /**
   * The pool and hasher (hashing.ts), loaded when a file whose parts will certainly be hashed is added
   * (preloadUpload), else by the first hash: the default upload hashes nothing. The
   * hash worker starts here, beside the chunk's import rather than after it: its script then loads
   * with the chunk (two fetches at once), a round trip earlier on a slow link.
   */
  readonly #loadHashing = loadOnce((): Promise<Hashing> => {
    const worker = spawnHashWorker();
    return import('./hashing.js').then(
      ({ createHashing }) => {
        const { bufferSize, budgetBytes: budget } = this.#idleMemory;
        const { poolIdleTimeout: idleTimeout, clock } = this.#settings;
        const loaded = createHashing({ bufferSize, budget, idleTimeout, clock, onChange: () => this.#changed(false) }, this.#settings, worker);
        // Destroyed while it loaded: the pool refuses every lease, the hasher ends its worker.
        if (this.#destroyed) {
          loaded.pool.destroy();
          loaded.hasher.destroy();
        }
        return (this.#loaded = loaded);
      },
      (error: unknown) => {
        // The chunk did not load (the network dropped just then): loadOnce forgets it, so the next
        // attempt asks for it, and starts a worker, again.
        worker?.worker.terminate();
        throw error;
      },
    );
  });

  /** The restore code is its own chunk: an app that never restores, and the first paint, do without it. */
  readonly #restoredList = loadOnce(() =>
    import('./RestoredList.js').then(({ RestoredList }) => {
      return (this.#restored = new RestoredList(this.#restoreSettings(), {
        holds: (key) => this.#files.some((file) => file.key === key && (file.live || file.status === 'queued')),
        nextId: () => `file-${this.#nextId++}`,
        add: (files) => this.add(files),
        changed: () => this.#changed(true),
      }));
    }),
  );

  configure(options: Partial<Pick<UploaderOptions, ConfigurableOption>>): void {
    // Only the live options: anything else fixed at creation (pool size, clock) is ignored here.
    assign(this.#settings, options, CONFIGURABLE_OPTIONS);
    // A higher concurrency or autoStart may let queued files go now.
    if ('autoStart' in options && this.#settings.autoStart) this.start();
    this.#schedulePump();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Always the latest state: notifications are coalesced, reads are not. */
  getSnapshot(): UploadSnapshot {
    // After destroy() no notification comes, but late buffer releases still show in memory.
    if (this.#dirty || this.#destroyed) this.#publish();
    return this.#current;
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const file of this.#files) file.destroy();
    this.#disarm();
    this.#listeners.clear();
    this.#loaded?.pool.destroy();
    this.#loaded?.hasher.destroy();
    this.#events.destroy();
  }

  #select(id: string | undefined): FileUpload[] {
    return this.#files.filter((file) => id === undefined || file.id === id);
  }

  /**
   * Notifications go out at most once per progressInterval: with many small files, status changes
   * alone came ~110 times a second, each one a render for a UI. Progress waits for the end of the
   * window; a status change (`urgent`) goes out at once when the last notification is older than
   * the window, else at its end; a failure, or the last running file settling, goes out at once.
   */
  #changed(urgent: boolean, failed = false): void {
    if (this.#destroyed) return;
    this.#dirty = true;
    if (!urgent) return this.#arm(this.#settings.progressInterval);
    if (failed) this.#prompt = true;
    // Queued after the pump's microtask, so it sees the files the pump has just started.
    this.#schedulePump();
    if (this.#notifyQueued) return;
    this.#notifyQueued = true;
    queueMicrotask(() => {
      this.#notifyQueued = false;
      if (this.#destroyed) return;
      if (!this.#files.some((file) => file.status === 'uploading')) this.#prompt = true;
      const wait = this.#prompt ? 0 : this.#notifiedAt + this.#settings.progressInterval - this.#settings.clock.now();
      if (wait > 0) return this.#arm(wait);
      this.#disarm();
      this.#flush();
    });
  }

  /** A flush in `ms`, unless one is already due. */
  #arm(ms: number): void {
    if (this.#timer !== null) return;
    this.#timer = this.#settings.clock.setTimeout(() => {
      this.#timer = null;
      this.#flush();
    }, ms);
  }

  #disarm(): void {
    if (this.#timer !== null) this.#settings.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Dequeue on a microtask, so a burst of cancels or pauses starts no work that is doomed. */
  #schedulePump(): void {
    if (this.#pumpQueued || this.#destroyed) return;
    this.#pumpQueued = true;
    queueMicrotask(() => {
      this.#pumpQueued = false;
      if (this.#destroyed) return;
      let running = this.#files.filter((file) => file.status === 'uploading').length;
      // minFiles holds every start back until enough files are there.
      if (filesNeeded(this.#files, this.#settings.restrictions?.minFiles) > 0) return;
      for (const file of this.#files) {
        if (running >= Math.max(1, this.#settings.concurrency)) return;
        if (file.status === 'queued' && file.wanted) {
          file.start();
          running++;
        }
      }
    });
  }

  #flush(): void {
    if (this.#destroyed) return;
    this.#prompt = false;
    this.#publish();
    if (this.#current === this.#notified) return;
    this.#notified = this.#current;
    this.#notifiedAt = this.#settings.clock.now();
    this.#events.progress(this.#current.files);
    for (const listener of [...this.#listeners]) listener();
  }

  #publish(): void {
    this.#dirty = false;
    this.#current = this.#build(this.#current);
  }

  /** A new snapshot only when a file snapshot, the list or memory changed; else the old object. */
  #build(previous: UploadSnapshot | null): UploadSnapshot {
    const files = [...(this.#restored?.snapshots() ?? []), ...this.#files.map((file) => file.snapshot())];
    const memory = this.#loaded?.pool.stats() ?? this.#idleMemory;
    const sameFiles = previous && previous.files.length === files.length && files.every((file, i) => file === previous.files[i]);
    if (sameFiles && previous.memory === memory) return previous;
    return Object.freeze({
      files: sameFiles ? previous.files : Object.freeze(files),
      totals: sameFiles ? previous.totals : totalsOf(files, filesNeeded(this.#files, this.#settings.restrictions?.minFiles)),
      memory,
    });
  }
}
