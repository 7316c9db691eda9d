import type { BufferPool } from './BufferPool.js';
import type { LeaseHasher } from './LeaseHasher.js';
import type { ByteRange, ChecksumAlgorithm, Clock, HeaderRecord, ProtocolSession, UploadFileInfo, UrlStorage } from './ports.js';
import { abortedError, onAbort } from './onAbort.js';
import { merge, totalLength } from './PartPlanner.js';
import { PartSizer } from './PartSizer.js';
import { ResumeSlot } from './ResumeSlot.js';
import { resumeKey } from './resumeStorage.js';
import { retryDelay } from './retryPolicy.js';
import { sendParts } from './sendParts.js';
import { SpeedMeter } from './SpeedMeter.js';
import type { FileSnapshot, FileStatus, Rejection, UploaderOptions } from './types.js';
import { isUploadError, stripCredentials, UploadError } from './UploadError.js';
import { withTimeout } from './withTimeout.js';

type Defaulted = Exclude<keyof UploaderOptions, 'protocol' | 'restrictions' | 'headers' | 'metadata'>;

/** The uploader's options with every default filled in. */
export type Settings = UploaderOptions & Required<Pick<UploaderOptions, Defaulted>>;

/**
 * What a file upload needs from the uploader that owns it: the settings, which configure() changes
 * in place (so they are read when needed, never copied), and the uploader's shared parts.
 */
export interface UploadContext extends Settings {
  readonly pool: BufferPool;
  /** Hashes pooled chunks, in a worker where there is one. */
  readonly hasher: LeaseHasher;
  /** Resume records' storage, resolved on first use. */
  storage(): UrlStorage | null;
  /** The `headers` option resolved for one request. */
  requestHeaders(): Promise<HeaderRecord>;
  /** False when an earlier file of the same uploader holds the server upload this file's record points to. */
  mayResume(upload: FileUpload): boolean;
  /** Something in this file's snapshot changed; `urgent` for status changes (not coalesced). */
  changed(upload: FileUpload, urgent: boolean): void;
}

const TERMINAL: ReadonlySet<FileStatus> = new Set(['completed', 'canceled', 'rejected']);

/**
 * One file's state machine: queued → uploading → completed | failed | paused | canceled.
 * State the uploader does not read is in #private fields, which minifiers rename (plain
 * property names they must keep): this class is the largest part of the shipped engine.
 */
export class FileUpload {
  status: FileStatus;
  /** Set by the uploader: the user wants this file to run (autoStart, start(), resume(), retry()). */
  wanted = false;
  /** Which stored record is this file's: the endpoint and the file's fingerprint. */
  readonly key: string;
  readonly #ctx: UploadContext;
  readonly #slot: ResumeSlot;
  readonly #meter = new SpeedMeter();
  readonly #inflight = new Map<number, number>();
  #error: UploadError | null = null;
  #attempt = 0;
  #resumed = false;
  #url: string | null = null;
  #session: ProtocolSession | null = null;
  #acked: ByteRange[] = [];
  #controller: AbortController | null = null;
  #running: Promise<void> | null = null;
  #sizer: PartSizer | null = null;
  #cached: FileSnapshot | null = null;

  constructor(
    readonly id: string,
    readonly file: File,
    ctx: UploadContext,
    readonly rejection: Rejection | null = null,
  ) {
    this.#ctx = ctx;
    this.status = rejection ? 'rejected' : 'queued';
    this.key = resumeKey(ctx.protocol.endpoint, file);
    this.#slot = new ResumeSlot(ctx.storage(), this.key, ctx.clock, ctx.resumeTtl);
    if (rejection) this.#error = new UploadError('rejected-file', rejection.message);
  }

  /** Holds (or may still hold) a server upload that a duplicate of this file must not share. */
  get live(): boolean {
    return this.status === 'uploading' || this.status === 'paused' || this.status === 'failed';
  }

  get settled(): boolean {
    return TERMINAL.has(this.status) || this.status === 'failed';
  }

  start(): void {
    if (this.status !== 'queued') return;
    const previous = this.#running;
    const controller = new AbortController();
    this.#controller = controller;
    this.#setStatus('uploading');
    // A paused run may still be unwinding its aborted requests: let it finish first.
    this.#running = (previous ?? Promise.resolve()).then(() => this.#run(controller.signal));
  }

  pause(): void {
    if (this.status !== 'uploading' && this.status !== 'queued') return;
    this.wanted = false;
    this.#abort('The upload was paused');
    this.#setStatus('paused');
  }

  /** Back into the queue; the next run syncs with the server and goes on from its ranges. */
  resume(): void {
    if (this.status !== 'paused') return;
    this.wanted = true;
    this.#setStatus('queued');
  }

  retry(): void {
    if (this.status !== 'failed') return;
    this.#error = null;
    this.#attempt = 0;
    // Open afresh from the last record: a session that failed for good may be unusable.
    this.#session = null;
    this.wanted = true;
    this.#setStatus('queued');
  }

  /** Abort, delete the server upload, forget the resume record. Never reports an error. */
  async cancel(): Promise<void> {
    if (TERMINAL.has(this.status)) return;
    this.wanted = false;
    this.#abort('The upload was canceled');
    this.#setStatus('canceled');
    await this.#running;
    const session = this.#session;
    this.#session = null;
    if (session?.resumeRecord()) {
      try {
        const headers = await this.#ctx.requestHeaders();
        // Not tied to the run's signal, which the cancel has just aborted.
        await withTimeout(this.#ctx, 'terminate', undefined, (limited) => session.terminate(headers, limited));
      } catch {
        // The user asked to stop; a failed DELETE leaves an upload the server expires on its own.
      }
    }
    await this.#slot.forget();
  }

  /** The uploader is going away: stop requests quietly, keep the server upload for a later resume. */
  destroy(): void {
    this.#abort('The uploader was destroyed');
  }

  snapshot(): FileSnapshot {
    if (this.#cached) return this.#cached;
    const { size, name, type } = this.file;
    const status = this.status;
    const acknowledged = this.#bytesAcknowledged();
    const sent = this.#bytesSent();
    const uploading = status === 'uploading';
    this.#cached = Object.freeze({
      id: this.id,
      name,
      size,
      type,
      status,
      bytesSent: sent,
      bytesAcknowledged: acknowledged,
      progress: size === 0 ? (status === 'completed' ? 1 : 0) : acknowledged / size,
      speed: uploading ? this.#meter.speed : 0,
      eta: uploading ? this.#meter.eta(size - sent) : null,
      attempt: this.#attempt,
      error: this.#error,
      rejection: this.rejection,
      url: this.#url,
      resumed: this.#resumed,
    });
    return this.#cached;
  }

  #bytesAcknowledged(): number {
    return this.status === 'completed' ? this.file.size : totalLength(this.#acked);
  }

  #bytesSent(): number {
    let sent = this.#bytesAcknowledged();
    for (const loaded of this.#inflight.values()) sent += loaded;
    return Math.min(sent, this.file.size);
  }

  async #run(signal: AbortSignal): Promise<void> {
    for (;;) {
      try {
        await this.#uploadOnce(signal);
        if (signal.aborted) return;
        this.#session = null;
        this.#meter.reset();
        this.#setStatus('completed');
        await this.#slot.forget();
        return;
      } catch (thrown) {
        this.#rollback();
        if (signal.aborted) return;
        const error = await this.#classify(thrown);
        if (signal.aborted) return;
        const delay = retryDelay(error, this.#attempt + 1, this.#ctx.retry, this.#ctx.random);
        if (delay === null) {
          this.#error = error;
          return this.#setStatus('failed');
        }
        this.#attempt++;
        this.#changed(true);
        if (!(await sleep(this.#ctx.clock, delay, signal))) return;
      }
    }
  }

  async #uploadOnce(signal: AbortSignal): Promise<void> {
    const ctx = this.#ctx;
    const known = this.#session;
    const session = known ?? (await this.#open(signal));
    if (known) {
      const headers = await ctx.requestHeaders();
      await withTimeout(ctx, 'sync', signal, (limited) => known.sync(headers, limited));
    }
    this.#acked = merge(session.uploaded);
    this.#changed(false);
    await this.#saveRecord(session);
    const algorithm = ctx.checksum === 'auto' ? session.capabilities.checksum : ctx.checksum || null;
    const hashing = algorithm !== null;
    // Keep the learnt size across attempts, unless hashing changed (a reopened session may verify
    // checksums when the first did not): SHA-256'd parts must fit one pooled buffer.
    if (this.#sizer?.adaptive !== !hashing) this.#sizer = this.#createSizer(session, algorithm);
    await sendParts({ ...this.#partHost(session, hashing, this.#sizer), ...(algorithm ? { algorithm } : {}) }, this.#acked, signal);
    const headers = await ctx.requestHeaders();
    await withTimeout(ctx, 'complete', signal, (limited) => session.complete(headers, limited));
  }

  async #open(signal: AbortSignal): Promise<ProtocolSession> {
    const ctx = this.#ctx;
    // The same file added twice must not write into one server upload from two places.
    const resume = ctx.mayResume(this) ? await this.#slot.load() : undefined;
    const headers = await ctx.requestHeaders();
    const request = { file: this.#info(), ...(resume ? { resume } : {}), headers, checksum: ctx.checksum };
    const session = await withTimeout(ctx, 'open', signal, (limited) => ctx.protocol.open({ ...request, signal: limited }));
    this.#session = session;
    const url = session.resumeRecord()?.url;
    this.#resumed = resume !== undefined && url !== undefined && stripCredentials(url) === resume.url;
    return session;
  }

  #createSizer(session: ProtocolSession, algorithm: ChecksumAlgorithm | null): PartSizer {
    const { maxPartSize, minPartSize } = session.capabilities;
    const { pool, maxChunkSize, chunkSize } = this.#ctx;
    // A CRC is read in buffer-sized pieces (sendParts), so only a SHA-256'd part must fit one buffer.
    const inOneBuffer = algorithm === 'sha-256';
    const max = Math.min(maxPartSize, inOneBuffer ? pool.bufferSize : maxChunkSize);
    const initial = inOneBuffer ? pool.bufferSize : chunkSize;
    return new PartSizer({ initial: Math.min(initial, max), max, min: minPartSize, adaptive: algorithm === null });
  }

  #partHost(session: ProtocolSession, hashing: boolean, sizer: PartSizer): Parameters<typeof sendParts>[0] {
    const sample = (): void => this.#meter.sample(this.#bytesSent(), this.#ctx.clock.now());
    return {
      ctx: this.#ctx,
      file: this.file,
      session,
      hashing,
      sizer,
      progress: (start, loaded) => {
        this.#inflight.set(start, loaded);
        sample();
        this.#changed(false);
        // A protocol that creates the upload and then sends its first part in one call (tus: POST,
        // then PATCH) has a URL once bytes flow: keep it now, so a reload during that first part
        // resumes instead of starting over.
        if (this.#url === null) void this.#saveRecord(session);
      },
      acknowledged: (start, end) => {
        this.#inflight.delete(start);
        this.#acked = merge([...this.#acked, { start, end }]);
        // Progress proves the link works again: the next failure starts a fresh retry budget.
        const recovered = this.#attempt > 0;
        this.#attempt = 0;
        sample();
        this.#changed(recovered);
        // Bytes still to send: keep the record. A file whose last bytes just arrived has nothing left
        // to resume, and writing a record only to delete it costs synchronous localStorage work per
        // small file (one that went whole in its creating request).
        void this.#saveRecord(session, totalLength(this.#acked) < this.file.size);
      },
      settled: (start) => {
        if (this.#inflight.delete(start)) this.#changed(false);
      },
    };
  }

  #rollback(): void {
    this.#inflight.clear();
    this.#meter.reset();
    this.#changed(true);
  }

  /** A network error may really be the file: Chrome fails the request when its source vanished. */
  async #classify(thrown: unknown): Promise<UploadError> {
    const error = isUploadError(thrown)
      ? thrown
      : new UploadError('network', thrown instanceof Error ? thrown.message : String(thrown), { cause: thrown });
    if (error.code !== 'network' || (await this.#readable())) return error;
    return new UploadError(
      'file-changed',
      `${this.file.name} can no longer be read (changed, moved or deleted). Choose the file again.`,
      { cause: error },
    );
  }

  async #readable(): Promise<boolean> {
    const at = Math.min(this.#bytesAcknowledged(), Math.max(0, this.file.size - 1));
    try {
      await this.file.slice(at, at + 1).arrayBuffer();
      return true;
    } catch {
      return false;
    }
  }

  #info(): UploadFileInfo {
    const { name, size, type, lastModified } = this.file;
    return { id: this.id, name, size, type, lastModified, metadata: { filename: name, filetype: type, ...this.#ctx.metadata?.(this.file) } };
  }

  /** Show the session's upload URL in the snapshot, and persist it unless `persist` is false. */
  async #saveRecord(session: ProtocolSession, persist = true): Promise<void> {
    const found = session.resumeRecord();
    if (!found) return;
    const url = stripCredentials(found.url);
    if (url !== this.#url) {
      this.#url = url;
      this.#changed(true);
    }
    if (persist) await this.#slot.save(found);
  }

  #abort(reason: string): void {
    this.#controller?.abort(abortedError(reason));
    this.#controller = null;
  }

  #setStatus(status: FileStatus): void {
    if (this.status === status) return;
    this.status = status;
    if (status !== 'uploading') this.#inflight.clear();
    this.#changed(true);
  }

  #changed(urgent: boolean): void {
    this.#cached = null;
    this.#ctx.changed(this, urgent);
  }
}

/** Wait on the injected clock; resolves false when aborted first. */
function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const handle = clock.setTimeout(() => {
      stop();
      resolve(true);
    }, ms);
    const stop = onAbort(signal, () => {
      clock.clearTimeout(handle);
      resolve(false);
    });
  });
}
