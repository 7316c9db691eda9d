import type { BufferPool } from './BufferPool.js';
import type { ByteRange, Clock, HeaderRecord, Protocol, ProtocolSession, UploadFileInfo, UrlStorage } from './ports.js';
import { merge, totalLength } from './PartPlanner.js';
import { PartSizer } from './PartSizer.js';
import { ResumeSlot } from './ResumeSlot.js';
import { resumeKey } from './resumeStorage.js';
import { retryDelay } from './retryPolicy.js';
import { sendParts, type PartHost } from './sendParts.js';
import { SpeedMeter } from './SpeedMeter.js';
import type { ChecksumOption, FileSnapshot, FileStatus, Rejection, RetryOptions } from './types.js';
import { isUploadError, stripCredentials, UploadError } from './UploadError.js';

/** What a file upload needs from the uploader that owns it; option getters read live values. */
export interface UploadContext {
  readonly protocol: Protocol;
  readonly pool: BufferPool;
  readonly clock: Clock;
  readonly storage: UrlStorage | null;
  readonly random: () => number;
  readonly checksum: ChecksumOption;
  readonly chunkSize: number;
  readonly maxChunkSize: number;
  readonly resumeTtl: number;
  retry(): RetryOptions;
  stallTimeout(): number;
  responseTimeout(): number;
  metadata(file: File): Record<string, string>;
  headers(): Promise<HeaderRecord>;
  /** False when an earlier file of the same uploader holds the server upload this file's record points to. */
  mayResume(upload: FileUpload): boolean;
  /** Something in this file's snapshot changed; `urgent` for status changes (not coalesced). */
  changed(upload: FileUpload, urgent: boolean): void;
}

const TERMINAL: ReadonlySet<FileStatus> = new Set(['completed', 'canceled', 'rejected']);

/** One file's state machine: queued → uploading → completed | failed | paused | canceled. */
export class FileUpload {
  status: FileStatus;
  /** Set by the uploader: the user wants this file to run (autoStart, start(), resume(), retry()). */
  wanted = false;
  private error: UploadError | null = null;
  private attempt = 0;
  private resumed = false;
  private url: string | null = null;
  private session: ProtocolSession | null = null;
  private readonly slot: ResumeSlot;
  /** Which stored record is this file's: the endpoint and the file's fingerprint. */
  readonly key: string;
  private acked: ByteRange[] = [];
  private readonly inflight = new Map<number, number>();
  private controller: AbortController | null = null;
  private running: Promise<void> | null = null;
  private sizer: PartSizer | null = null;
  private readonly meter = new SpeedMeter();
  private cached: FileSnapshot | null = null;

  constructor(
    readonly id: string,
    readonly file: File,
    private readonly ctx: UploadContext,
    readonly rejection: Rejection | null = null,
  ) {
    this.status = rejection ? 'rejected' : 'queued';
    this.key = resumeKey(ctx.protocol.endpoint, file);
    this.slot = new ResumeSlot(ctx.storage, this.key, ctx.clock, ctx.resumeTtl);
    if (rejection) this.error = new UploadError('rejected-file', rejection.message);
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
    const previous = this.running;
    const controller = new AbortController();
    this.controller = controller;
    this.setStatus('uploading');
    // A paused run may still be unwinding its aborted requests: let it finish first.
    this.running = (previous ?? Promise.resolve()).then(() => this.run(controller.signal));
  }

  pause(): void {
    if (this.status !== 'uploading' && this.status !== 'queued') return;
    this.wanted = false;
    this.abort('The upload was paused');
    this.setStatus('paused');
  }

  /** Back into the queue; the next run syncs with the server and goes on from its ranges. */
  resume(): void {
    if (this.status !== 'paused') return;
    this.wanted = true;
    this.setStatus('queued');
  }

  retry(): void {
    if (this.status !== 'failed') return;
    this.error = null;
    this.attempt = 0;
    // Open afresh from the last record: a session that failed for good may be unusable.
    this.session = null;
    this.wanted = true;
    this.setStatus('queued');
  }

  /** Abort, delete the server upload, forget the resume record. Never reports an error. */
  async cancel(): Promise<void> {
    if (TERMINAL.has(this.status)) return;
    this.wanted = false;
    this.abort('The upload was canceled');
    this.setStatus('canceled');
    await this.running;
    const session = this.session;
    this.session = null;
    if (session?.resumeRecord()) {
      try {
        await session.terminate(await this.ctx.headers());
      } catch {
        // The user asked to stop; a failed DELETE leaves an upload the server expires on its own.
      }
    }
    await this.slot.forget();
  }

  /** The uploader is going away: stop requests quietly, keep the server upload for a later resume. */
  destroy(): void {
    this.abort('The uploader was destroyed');
  }

  get bytesAcknowledged(): number {
    return this.status === 'completed' ? this.file.size : totalLength(this.acked);
  }

  get bytesSent(): number {
    let sent = this.bytesAcknowledged;
    for (const loaded of this.inflight.values()) sent += loaded;
    return Math.min(sent, this.file.size);
  }

  snapshot(): FileSnapshot {
    if (this.cached) return this.cached;
    const { size } = this.file;
    const acknowledged = this.bytesAcknowledged;
    const uploading = this.status === 'uploading';
    this.cached = Object.freeze({
      id: this.id,
      name: this.file.name,
      size,
      type: this.file.type,
      status: this.status,
      bytesSent: this.bytesSent,
      bytesAcknowledged: acknowledged,
      progress: size === 0 ? (this.status === 'completed' ? 1 : 0) : acknowledged / size,
      speed: uploading ? this.meter.speed : 0,
      eta: uploading ? this.meter.eta(size - this.bytesSent) : null,
      attempt: this.attempt,
      error: this.error,
      rejection: this.rejection,
      url: this.url,
      resumed: this.resumed,
    });
    return this.cached;
  }

  private async run(signal: AbortSignal): Promise<void> {
    for (;;) {
      try {
        await this.uploadOnce(signal);
        await this.finish(signal);
        return;
      } catch (thrown) {
        this.rollback();
        if (signal.aborted) return;
        const error = await this.classify(thrown);
        if (signal.aborted) return;
        const delay = retryDelay(error, this.attempt + 1, this.ctx.retry(), this.ctx.random);
        if (delay === null) return this.fail(error);
        this.attempt++;
        this.changed(true);
        if (!(await sleep(this.ctx.clock, delay, signal))) return;
      }
    }
  }

  private async uploadOnce(signal: AbortSignal): Promise<void> {
    const session = this.session ? await this.sync(this.session, signal) : await this.open(signal);
    this.acked = merge(session.uploaded);
    this.changed(false);
    await this.saveRecord(session);
    const hashing = this.ctx.checksum === 'sha-256' || (this.ctx.checksum === 'auto' && session.capabilities.checksum === 'sha-256');
    // Keep the learnt size across attempts, unless hashing changed (a reopened session may verify
    // checksums when the first did not): hashed parts must fit one pooled buffer.
    if (this.sizer?.adaptive !== !hashing) this.sizer = this.createSizer(session, hashing);
    await sendParts(this.partHost(session, hashing, this.sizer), this.acked, signal);
    await session.complete(await this.ctx.headers(), signal);
  }

  private async open(signal: AbortSignal): Promise<ProtocolSession> {
    // The same file added twice must not write into one server upload from two places.
    const resume = this.ctx.mayResume(this) ? await this.slot.load() : undefined;
    const headers = await this.ctx.headers();
    const session = await this.ctx.protocol.open({ file: this.info(), ...(resume ? { resume } : {}), headers, signal });
    this.session = session;
    const url = session.resumeRecord()?.url;
    this.resumed = resume !== undefined && url !== undefined && stripCredentials(url) === resume.url;
    return session;
  }

  private async sync(session: ProtocolSession, signal: AbortSignal): Promise<ProtocolSession> {
    await session.sync(await this.ctx.headers(), signal);
    return session;
  }

  private createSizer(session: ProtocolSession, hashing: boolean): PartSizer {
    const { maxPartSize, minPartSize } = session.capabilities;
    const max = Math.min(maxPartSize, hashing ? this.ctx.pool.bufferSize : this.ctx.maxChunkSize);
    const initial = hashing ? this.ctx.pool.bufferSize : this.ctx.chunkSize;
    return new PartSizer({ initial: Math.min(initial, max), max, min: minPartSize, adaptive: !hashing });
  }

  private partHost(session: ProtocolSession, hashing: boolean, sizer: PartSizer): PartHost {
    return {
      file: this.file,
      session,
      pool: this.ctx.pool,
      clock: this.ctx.clock,
      hashing,
      sizer,
      stallTimeout: () => this.ctx.stallTimeout(),
      responseTimeout: () => this.ctx.responseTimeout(),
      headers: () => this.ctx.headers(),
      progress: (start, loaded) => {
        this.inflight.set(start, loaded);
        this.meter.sample(this.bytesSent, this.ctx.clock.now());
        this.changed(false);
      },
      acknowledged: (start, end) => {
        this.inflight.delete(start);
        this.acked = merge([...this.acked, { start, end }]);
        // Progress proves the link works again: the next failure starts a fresh retry budget.
        const recovered = this.attempt > 0;
        this.attempt = 0;
        this.meter.sample(this.bytesSent, this.ctx.clock.now());
        this.changed(recovered);
        void this.saveRecord(session);
      },
      settled: (start) => {
        if (this.inflight.delete(start)) this.changed(false);
      },
    };
  }

  private async finish(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    this.session = null;
    this.meter.reset();
    this.setStatus('completed');
    await this.slot.forget();
  }

  private fail(error: UploadError): void {
    this.error = error;
    this.setStatus('failed');
  }

  private rollback(): void {
    this.inflight.clear();
    this.meter.reset();
    this.changed(true);
  }

  /** A network error may really be the file: Chrome fails the request when its source vanished. */
  private async classify(thrown: unknown): Promise<UploadError> {
    const error = isUploadError(thrown)
      ? thrown
      : new UploadError('network', thrown instanceof Error ? thrown.message : String(thrown), { cause: thrown });
    if (error.code !== 'network' || (await this.readable())) return error;
    return new UploadError(
      'file-changed',
      `${this.file.name} can no longer be read: it was changed, moved or deleted after it was chosen. Choose the file again.`,
      { cause: error },
    );
  }

  private async readable(): Promise<boolean> {
    const at = Math.min(this.bytesAcknowledged, Math.max(0, this.file.size - 1));
    try {
      await this.file.slice(at, at + 1).arrayBuffer();
      return true;
    } catch {
      return false;
    }
  }

  private info(): UploadFileInfo {
    const { name, size, type, lastModified } = this.file;
    return { id: this.id, name, size, type, lastModified, metadata: { filename: name, filetype: type, ...this.ctx.metadata(this.file) } };
  }

  private async saveRecord(session: ProtocolSession): Promise<void> {
    const found = session.resumeRecord();
    if (!found) return;
    const url = stripCredentials(found.url);
    if (url !== this.url) {
      this.url = url;
      this.changed(true);
    }
    await this.slot.save(found);
  }

  private abort(reason: string): void {
    this.controller?.abort(new UploadError('aborted', reason));
    this.controller = null;
  }

  private setStatus(status: FileStatus): void {
    if (this.status === status) return;
    this.status = status;
    if (status !== 'uploading') this.inflight.clear();
    this.changed(true);
  }

  private changed(urgent: boolean): void {
    this.cached = null;
    this.ctx.changed(this, urgent);
  }
}

/** Wait on the injected clock; resolves false when aborted first. */
function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      resolve(false);
    };
    const handle = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
