import type { Attempt, AttemptEvent, AttemptServices } from './Attempt.js';
import type { ChecksumAlgorithm, HeaderRecord, ProtocolSession, UploadFileInfo, UploadResult, UrlStorage } from './ports.js';
import { loadAttempt } from './loadAttempt.js';
import { abortedError } from './onAbort.js';
import { classifyFailure, Recovery, sleep } from './failures.js';
import { createResumeSlot, type ResumeSlot } from './ResumeSlot.js';
import { isPageLocal, resumeKey } from './resumeStorage.js';
import { abortWhenOffline, whenOnline } from './onlineGate.js';
import { withUploadLock } from './UploadLock.js';
import { retryDelay } from './retryPolicy.js';
import { createSpeedMeter } from './SpeedMeter.js';
import type { Settings } from './settings.js';
import type { FileNotice, FileSnapshot, FileStatus, Rejection, UploadWaiting } from './types.js';
import { UploadError } from './UploadError.js';
import { stripCredentials } from './urls.js';
import { withTimeout } from './withTimeout.js';

/**
 * What a file upload needs from the uploader that owns it: the settings, which configure() changes
 * in place (so they are read when needed, never copied), and the uploader's shared parts.
 */
export interface UploadHost extends AttemptServices {
  readonly settings: Settings;
  /** Resume records' storage, resolved on first use. */
  storage(): UrlStorage | null;
  /** False when an earlier file of the same uploader holds the server upload this file's record points to. */
  mayResume(upload: FileUpload): boolean;
  /** Something in this file's snapshot changed; `urgent` for status changes (not coalesced). */
  changed(upload: FileUpload, urgent: boolean): void;
}

const NO_METADATA: Readonly<Record<string, string>> = Object.freeze({});

const TERMINAL: ReadonlySet<FileStatus> = new Set(['completed', 'canceled', 'rejected']);

/**
 * One file's state machine: queued → uploading → completed | failed | paused | canceled.
 * State the uploader does not read is in #private fields, which minifiers rename (plain
 * property names they must keep): this class is the largest part of the shipped engine.
 */
export class FileUpload {
  status: FileStatus;
  #wanted = false;
  /** Which stored record is this file's: the endpoint and the file's fingerprint. */
  readonly key: string;
  readonly #host: UploadHost;
  readonly #slot: ResumeSlot;
  readonly #meter = createSpeedMeter();
  #error: UploadError | null = null;
  #attempt = 0;
  #resumed = false;
  #url: string | null = null;
  #session: ProtocolSession | null = null;
  /** The current attempt, or the last one: its acknowledged ranges and learnt part size outlive it. */
  #transfer: Attempt | null = null;
  #controller: AbortController | null = null;
  /** Aborted by destroy() only: what stops a request that creates the upload (PartRequest.creationSignal). */
  readonly #lasting = new AbortController();
  #running: Promise<void> | null = null;
  #cached: FileSnapshot | null = null;
  #notice: FileNotice | null = null;
  /** Expired credentials and vanished uploads, answered once each until bytes are acknowledged again. */
  readonly #recovery = new Recovery();
  /** What attempts use: the uploader's parts, with this file's headers (which know about refusals). */
  readonly #services: AttemptServices;
  /** The name shown and sent: the file's, unless onBeforeFileAdded renamed it. */
  #name: string;
  #metadata: Readonly<Record<string, string>> = NO_METADATA;
  #waiting: UploadWaiting = null;
  /** What complete() returned, with the upload URL: onSuccess, `done` and the snapshot carry it. */
  #result: UploadResult | null = null;

  constructor(
    readonly id: string,
    readonly file: File,
    host: UploadHost,
    public rejection: Rejection | null = null,
    checking = false,
  ) {
    this.#host = host;
    const { settings } = host;
    this.#name = file.name;
    this.#services = { ...host, requestHeaders: () => this.#headers() };
    this.status = rejection ? 'rejected' : checking ? 'checking' : 'queued';
    this.key = resumeKey(settings.protocol.endpoint, file);
    this.#slot = createResumeSlot(host.storage(), this.key, settings.clock, settings.resumeTtl);
    if (rejection) this.#error = new UploadError('rejected-file', rejection.message);
  }

  /** Holds (or may still hold) a server upload that a duplicate of this file must not share. */
  get live(): boolean {
    return this.status === 'uploading' || this.status === 'paused' || this.status === 'failed';
  }

  /** Set by the uploader: the user wants this file to run (autoStart, start(), resume(), retry()). */
  get wanted(): boolean {
    return this.#wanted;
  }

  /** A queued file's snapshot says whether it waits for start() (waiting: 'start'), so it changes with this. */
  set wanted(value: boolean) {
    if (this.#wanted === value) return;
    this.#wanted = value;
    if (this.status === 'queued') this.#changed(true);
  }

  get settled(): boolean {
    return TERMINAL.has(this.status) || this.status === 'failed';
  }

  /** The checks before adding answered: join the queue (renamed, with metadata), or be refused. */
  admit(rejection: Rejection | null, wanted: boolean, change?: { name?: string; metadata?: Record<string, string> }): void {
    if (this.status !== 'checking') return;
    if (change?.name) this.#name = change.name;
    if (change?.metadata) this.#metadata = Object.freeze({ ...change.metadata });
    this.rejection = rejection;
    if (rejection) this.#error = new UploadError('rejected-file', rejection.message);
    else this.wanted ||= wanted;
    this.#setStatus(rejection ? 'rejected' : 'queued');
  }

  start(): void {
    if (this.status !== 'queued') return;
    const previous = this.#running;
    const controller = new AbortController();
    this.#controller = controller;
    this.#setStatus('uploading');
    // A paused run may still be unwinding its aborted requests: let it finish first.
    this.#running = (previous ?? Promise.resolve()).then(() => this.#owned(controller.signal, () => this.#run(controller.signal)));
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
    this.#recovery.reset();
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
    // Every opened session is asked, not only one with a resume record: S3's CreateMultipartUpload runs
    // beside the first part's checksum, so it may still be unanswered here (terminate waits for it).
    // Not tied to the run's signal, which the cancel has just aborted. The user asked to stop: a
    // failed DELETE leaves an upload the server expires on its own.
    if (session) await this.#call('terminate', undefined, (headers, limited) => session.terminate(headers, limited)).catch(() => undefined);
    await this.#slot.forget();
  }

  /** The uploader is going away: stop requests quietly, keep the server upload for a later resume. */
  destroy(): void {
    this.#lasting.abort(abortedError('The uploader was destroyed'));
    this.#abort('The uploader was destroyed');
  }

  snapshot(): FileSnapshot {
    if (this.#cached) return this.#cached;
    const { size, type } = this.file;
    const name = this.#name;
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
      url: this.#result?.location ?? this.#url,
      resumed: this.#resumed,
      notice: this.#notice,
      metadata: this.#metadata,
      waiting: uploading ? this.#waiting : status === 'queued' && !this.#wanted ? 'start' : null,
      file: this.file,
      result: this.#result,
      restored: null,
    });
    return this.#cached;
  }

  #bytesAcknowledged(): number {
    return this.status === 'completed' ? this.file.size : (this.#transfer?.bytesAcknowledged ?? 0);
  }

  /** Parts in flight count only while uploading: a pause or failure takes them back at once. */
  #bytesSent(): number {
    return this.status === 'uploading' && this.#transfer ? this.#transfer.bytesSent : this.#bytesAcknowledged();
  }

  async #run(signal: AbortSignal): Promise<void> {
    for (;;) {
      const attempt = abortWhenOffline(this.#host.settings.online, signal);
      // Going offline stops a creating request too: its answer would be lost anyway.
      const lasting = abortWhenOffline(this.#host.settings.online, this.#lasting.signal);
      try {
        await this.#uploadOnce(attempt.signal, lasting.signal);
        if (signal.aborted) return;
        this.#session = null;
        this.#meter.reset();
        this.#setStatus('completed');
        await this.#slot.forget();
        return;
      } catch (thrown) {
        this.#meter.reset();
        this.#changed(true);
        if (signal.aborted) return;
        // Offline, the failure is the browser's: wait for the network without spending a retry.
        if (attempt.signal.aborted || !this.#host.settings.online.online()) {
          this.#setWaiting('offline');
          const back = await whenOnline(this.#host.settings.online, signal);
          this.#setWaiting(null);
          if (back) continue;
          return;
        }
        const error = this.#recovery.answer(await classifyFailure(thrown, this.file, this.#bytesAcknowledged()), this.#session !== null);
        if (signal.aborted) return;
        if (!error) continue;
        const { retry, random, clock } = this.#host.settings;
        const delay = retryDelay(error, this.#attempt + 1, retry, random);
        if (delay === null) {
          this.#error = error;
          return this.#setStatus('failed');
        }
        this.#attempt++;
        this.#changed(true);
        if (!(await sleep(clock, delay, signal))) return;
      } finally {
        attempt.dispose();
        lasting.dispose();
      }
    }
  }

  async #uploadOnce(signal: AbortSignal, lasting: AbortSignal): Promise<void> {
    const host = this.#host;
    const { settings } = host;
    const known = this.#session;
    // Preloaded when the file was added; asked again here after a load that failed.
    const code = loadAttempt();
    const session = known ?? (await this.#open(signal));
    let notice: FileNotice | null = null;
    if (known) {
      const had = known.resumeRecord()?.url;
      await this.#call('sync', signal, (headers, limited) => known.sync(headers, limited));
      if (had !== undefined && known.resumeRecord()?.url !== had) notice = 'restarted';
    }
    // 'auto': what the session verifies (tus: its server's algorithm; S3: the signed part checksum).
    const algorithm: ChecksumAlgorithm | null = settings.checksum === 'auto' ? session.capabilities.checksum : settings.checksum || null;
    const { Attempt } = await code;
    // Paused, canceled or destroyed while the code loaded: start nothing.
    signal.throwIfAborted();
    const previous = this.#transfer;
    const attempt = new Attempt(this.#services, this.file, session, algorithm, (event) => this.#heard(event, session), previous);
    this.#transfer = attempt;
    // Never finish short: bytes the server lost are sent again from where it stands.
    if (!notice && known && previous && attempt.bytesAcknowledged < previous.bytesAcknowledged) notice = 'rewound';
    if (notice) this.#note(notice);
    this.#changed(false);
    await this.#saveRecord(session);
    await attempt.run(signal, lasting);
    const returned = await this.#call('complete', signal, (headers, limited) => session.complete(headers, limited));
    // complete() may create the upload (tus: an empty file), so the URL is read after it.
    const url = session.resumeRecord()?.url;
    this.#result = { ...(url !== undefined && { url: stripCredentials(url) }), ...returned };
  }

  async #open(signal: AbortSignal): Promise<ProtocolSession> {
    const host = this.#host;
    // The same file added twice must not write into one server upload from two places.
    const resume = host.mayResume(this) ? await this.#slot.load() : undefined;
    const request = { file: this.#info(), ...(resume ? { resume } : {}), checksum: host.settings.checksum };
    const { protocol } = host.settings;
    const session = await this.#call('open', signal, (headers, limited) => protocol.open({ ...request, headers, signal: limited }));
    this.#session = session;
    const url = session.resumeRecord()?.url;
    this.#resumed = resume !== undefined && url !== undefined && stripCredentials(url) === resume.url;
    if (resume && !this.#resumed) this.#note('restarted');
    return session;
  }

  /** What the running attempt reports. */
  #heard(event: AttemptEvent, session: ProtocolSession): void {
    if (event === 'resume-point') return void this.#saveRecord(session);
    const transfer = this.#transfer;
    if (transfer) this.#meter.sample(transfer.bytesSent, this.#host.settings.clock.now());
    if (event === 'progress') return this.#changed(false);
    // Progress proves the link (and the credentials) work again: the next failure starts a fresh retry budget.
    const recovered = this.#attempt > 0;
    this.#attempt = 0;
    this.#recovery.reset();
    this.#changed(recovered);
    // Bytes still to send: keep the record. A file whose last bytes just arrived has nothing left
    // to resume, and writing a record only to delete it costs synchronous localStorage work per
    // small file (one that went whole in its creating request).
    void this.#saveRecord(session, (transfer?.bytesAcknowledged ?? 0) < this.file.size);
  }

  /**
   * Run `task` holding this upload's Web Lock: another tab resuming the same record waits ('other-tab')
   * and takes over when this one lets go (UploadLock). No lock for page-local storage or a duplicate.
   */
  #owned(signal: AbortSignal, task: () => Promise<void>): Promise<void> {
    const storage = this.#host.storage();
    const shared = storage !== null && !isPageLocal(storage) && this.#host.mayResume(this);
    return withUploadLock(shared ? this.#host.settings.locks : null, this.key, signal, (waiting) => this.#setWaiting(waiting ? 'other-tab' : null), task);
  }

  #setWaiting(reason: UploadWaiting): void {
    if (this.#waiting === reason) return;
    this.#waiting = reason;
    this.#changed(true);
  }

  #info(): UploadFileInfo {
    const { size, type, lastModified } = this.file;
    const name = this.#name;
    const metadata = { filename: name, filetype: type, ...this.#host.settings.metadata?.(this.file), ...this.#metadata };
    return { id: this.id, name, size, type, lastModified, metadata };
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

  /** The `headers` option for one request, told whether the server refused the previous credentials. */
  #headers(): Promise<HeaderRecord> {
    return this.#host.requestHeaders(this.#recovery.takeRefused());
  }

  /** A protocol call with this file's headers, under responseTimeout (its error names the call). */
  async #call<T>(name: string, signal: AbortSignal | undefined, call: (headers: HeaderRecord, limited: AbortSignal) => Promise<T>): Promise<T> {
    const headers = await this.#headers();
    return withTimeout(this.#host.settings, name, signal, (limited) => call(headers, limited));
  }

  #note(notice: FileNotice): void {
    this.#notice = notice;
    this.#changed(true);
  }

  #abort(reason: string): void {
    this.#controller?.abort(abortedError(reason));
    this.#controller = null;
  }

  #setStatus(status: FileStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.#changed(true);
  }

  #changed(urgent: boolean): void {
    this.#cached = null;
    this.#host.changed(this, urgent);
  }
}
