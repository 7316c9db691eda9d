import { BufferPool } from './BufferPool.js';
import { FileUpload, type UploadContext } from './FileUpload.js';
import type { Clock, HeaderRecord, UrlStorage } from './ports.js';
import { checkRestrictions } from './restrictions.js';
import { resolveUrlStorage } from './resumeStorage.js';
import type {
  AddResult,
  ConfigurableOption,
  FileSnapshot,
  Rejection,
  Totals,
  Uploader,
  UploaderOptions,
  UploadSnapshot,
} from './types.js';

const MiB = 1024 * 1024;
const DAY = 24 * 60 * 60 * 1000;

export const UPLOADER_DEFAULTS = {
  memoryBudget: 64 * MiB,
  chunkSize: 8 * MiB,
  maxChunkSize: 128 * MiB,
  concurrency: 4,
  stallTimeout: 30_000,
  responseTimeout: 120_000,
  resumeTtl: 7 * DAY,
  poolIdleTimeout: 5000,
  progressInterval: 100,
} as const;

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

type LiveOptions = Pick<UploaderOptions, ConfigurableOption>;

/** Create the framework-agnostic upload engine. */
export function createUploader(options: UploaderOptions): Uploader {
  return new UploaderEngine(options);
}

class UploaderEngine implements Uploader {
  private readonly live: LiveOptions;
  private readonly clock: Clock;
  private readonly pool: BufferPool;
  private readonly context: UploadContext;
  private readonly progressInterval: number;
  private readonly listeners = new Set<() => void>();
  private files: FileUpload[] = [];
  private nextId = 1;
  private current: UploadSnapshot;
  /** What listeners last heard of: getSnapshot() may publish a change before its notification runs. */
  private notified: UploadSnapshot;
  /** A change readers must see at once (list, status); progress waits for the coalescing timer. */
  private urgent = false;
  private notifyQueued = false;
  private pumpQueued = false;
  private progressTimer: unknown = null;
  private destroyed = false;

  constructor(options: UploaderOptions) {
    if (!options?.protocol) throw new TypeError('createUploader: `protocol` is required');
    this.live = {
      restrictions: options.restrictions,
      concurrency: options.concurrency,
      headers: options.headers,
      metadata: options.metadata,
      retry: options.retry,
      stallTimeout: options.stallTimeout,
      responseTimeout: options.responseTimeout,
      autoStart: options.autoStart,
    };
    this.clock = options.clock ?? systemClock;
    this.progressInterval = options.progressInterval ?? UPLOADER_DEFAULTS.progressInterval;
    const memoryBudget = positive(options.memoryBudget, UPLOADER_DEFAULTS.memoryBudget, 'memoryBudget');
    const chunkSize = positive(options.chunkSize, UPLOADER_DEFAULTS.chunkSize, 'chunkSize');
    this.pool = new BufferPool({
      // Hashed parts must fit one pooled buffer; a chunk larger than the budget shrinks to it.
      bufferSize: Math.min(chunkSize, memoryBudget),
      budget: memoryBudget,
      idleTimeout: options.poolIdleTimeout ?? UPLOADER_DEFAULTS.poolIdleTimeout,
      clock: this.clock,
      onChange: () => this.changed(false),
    });
    this.context = this.createContext(options, chunkSize);
    this.current = this.build(null);
    this.notified = this.current;
  }

  add(input: Iterable<File> | ArrayLike<File>): AddResult {
    this.assertAlive();
    const accepted: string[] = [];
    const rejected: { id: string; name: string; rejection: Rejection }[] = [];
    let held = this.files.filter((f) => f.status !== 'canceled' && f.status !== 'rejected').length;
    for (const file of Array.from(input)) {
      const id = `file-${this.nextId++}`;
      const rejection = checkRestrictions(file, this.live.restrictions, held);
      const upload = new FileUpload(id, file, this.context, rejection);
      this.files.push(upload);
      if (rejection) {
        rejected.push({ id, name: file.name, rejection });
        continue;
      }
      held++;
      upload.wanted = this.live.autoStart ?? true;
      accepted.push(id);
    }
    this.changed(true);
    return { accepted, rejected };
  }

  start(id?: string): void {
    for (const file of this.select(id)) if (file.status === 'queued') file.wanted = true;
    this.schedulePump();
  }

  pause(id?: string): void {
    for (const file of this.select(id)) file.pause();
  }

  resume(id?: string): void {
    for (const file of this.select(id)) file.resume();
  }

  async cancel(id?: string): Promise<void> {
    await Promise.all(this.select(id).map((file) => file.cancel()));
  }

  retry(id?: string): void {
    for (const file of this.select(id)) file.retry();
  }

  remove(id: string): void {
    const before = this.files.length;
    this.files = this.files.filter((file) => file.id !== id || !file.settled);
    if (this.files.length !== before) this.changed(true);
  }

  configure(options: Partial<LiveOptions>): void {
    // Only the live options: anything else fixed at creation (pool size, clock) is ignored here.
    for (const key of Object.keys(this.live) as ConfigurableOption[]) {
      if (key in options) Object.assign(this.live, { [key]: options[key] });
    }
    // A higher concurrency or autoStart may let queued files go now. Every getter reads
    // `live.x ?? default`, so undefined (useUpload's removed option) is the default: autoStart true.
    if ('autoStart' in options && (this.live.autoStart ?? true)) {
      for (const file of this.files) if (file.status === 'queued') file.wanted = true;
    }
    this.schedulePump();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  getSnapshot(): UploadSnapshot {
    // After destroy() no notification comes, but late buffer releases still show in memory.
    if (this.urgent || this.destroyed) this.publish();
    return this.current;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const file of this.files) file.destroy();
    if (this.progressTimer !== null) this.clock.clearTimeout(this.progressTimer);
    this.progressTimer = null;
    this.listeners.clear();
    this.pool.destroy();
  }

  private createContext(options: UploaderOptions, chunkSize: number): UploadContext {
    const live = this.live;
    let storage: UrlStorage | null | undefined;
    return {
      protocol: options.protocol,
      pool: this.pool,
      clock: this.clock,
      // Resolved on the first add(), not here: an uploader created during server rendering is never
      // used nor destroyed, and must not touch localStorage (a sandboxed iframe even throws on it).
      get storage() {
        return storage === undefined ? (storage = resolveUrlStorage(options.resume)) : storage;
      },
      random: options.random ?? Math.random,
      checksum: options.checksum ?? 'auto',
      chunkSize,
      maxChunkSize: Math.max(chunkSize, options.maxChunkSize ?? UPLOADER_DEFAULTS.maxChunkSize),
      resumeTtl: options.resumeTtl ?? UPLOADER_DEFAULTS.resumeTtl,
      retry: () => live.retry ?? {},
      stallTimeout: () => live.stallTimeout ?? UPLOADER_DEFAULTS.stallTimeout,
      responseTimeout: () => live.responseTimeout ?? UPLOADER_DEFAULTS.responseTimeout,
      metadata: (file) => live.metadata?.(file) ?? {},
      headers: () => resolveHeaders(live.headers),
      mayResume: (upload) => {
        const index = this.files.indexOf(upload);
        return !this.files.some((other, i) => i < index && other.live && other.key === upload.key);
      },
      changed: (_upload, urgent) => this.changed(urgent),
    };
  }

  private select(id: string | undefined): FileUpload[] {
    return id === undefined ? [...this.files] : this.files.filter((file) => file.id === id);
  }

  private changed(urgent: boolean): void {
    if (this.destroyed) return;
    if (urgent) {
      this.urgent = true;
      this.schedulePump();
      if (!this.notifyQueued) {
        this.notifyQueued = true;
        queueMicrotask(() => {
          this.notifyQueued = false;
          this.flush();
        });
      }
      return;
    }
    if (this.progressTimer === null) {
      this.progressTimer = this.clock.setTimeout(() => {
        this.progressTimer = null;
        this.flush();
      }, this.progressInterval);
    }
  }

  /** Dequeue on a microtask, so a burst of cancels or pauses starts no work that is doomed. */
  private schedulePump(): void {
    if (this.pumpQueued || this.destroyed) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.destroyed) return;
    const limit = Math.max(1, this.live.concurrency ?? UPLOADER_DEFAULTS.concurrency);
    let running = this.files.filter((file) => file.status === 'uploading').length;
    for (const file of this.files) {
      if (running >= limit) return;
      if (file.status !== 'queued' || !file.wanted) continue;
      file.start();
      running++;
    }
  }

  private flush(): void {
    if (this.destroyed) return;
    this.publish();
    if (this.current === this.notified) return;
    this.notified = this.current;
    for (const listener of [...this.listeners]) listener();
  }

  private publish(): void {
    this.urgent = false;
    this.current = this.build(this.current);
  }

  /** A new snapshot only when a file snapshot, the list or memory changed; else the old object. */
  private build(previous: UploadSnapshot | null): UploadSnapshot {
    const files = this.files.map((file) => file.snapshot());
    const memory = this.pool.stats();
    const sameFiles = previous !== null && sameItems(previous.files, files);
    if (previous && sameFiles && previous.memory === memory) return previous;
    return Object.freeze({
      files: sameFiles && previous ? previous.files : Object.freeze(files),
      totals: sameFiles && previous ? previous.totals : totalsOf(files),
      memory,
    });
  }

  private assertAlive(): void {
    if (this.destroyed) throw new Error('This uploader was destroyed; create a new one');
  }
}

function totalsOf(files: readonly FileSnapshot[]): Totals {
  let bytesTotal = 0;
  let bytesSent = 0;
  let bytesAcknowledged = 0;
  let speed = 0;
  let active = 0;
  let completed = 0;
  let failed = 0;
  for (const file of files) {
    if (file.status === 'uploading') active++;
    if (file.status === 'completed') completed++;
    if (file.status === 'failed') failed++;
    if (file.status === 'canceled' || file.status === 'rejected') continue;
    bytesTotal += file.size;
    bytesSent += file.bytesSent;
    bytesAcknowledged += file.bytesAcknowledged;
    speed += file.speed;
  }
  const counted = files.filter((f) => f.status !== 'canceled' && f.status !== 'rejected').length;
  const progress = bytesTotal > 0 ? bytesAcknowledged / bytesTotal : counted > 0 && completed === counted ? 1 : 0;
  const remaining = bytesTotal - bytesSent;
  return Object.freeze({
    files: files.length,
    active,
    completed,
    failed,
    bytesTotal,
    bytesSent,
    bytesAcknowledged,
    progress,
    speed,
    eta: remaining <= 0 && active === 0 ? null : speed > 0 ? remaining / speed : null,
  });
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

async function resolveHeaders(option: UploaderOptions['headers']): Promise<HeaderRecord> {
  if (!option) return {};
  return { ...(typeof option === 'function' ? await option() : option) };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`createUploader: \`${name}\` must be a positive number`);
  return Math.floor(value);
}
