import type { ByteRange, ChecksumAlgorithm, Clock, HeaderRecord, PartLayout, PartRequest, ProtocolSession } from './ports.js';
import { onAbort } from './onAbort.js';
import { mergeRanges, PartPlanner, totalLength, type PlannedPart } from './PartPlanner.js';
import { PartSizer } from './PartSizer.js';
import { StallDetector } from './StallDetector.js';
import { isUploadError, UploadError } from './UploadError.js';

/** Parts are never cut below this to get past a body limit: smaller requests cost more than they carry. */
const BODY_LIMIT_FLOOR = 1024 * 1024;

/** What an attempt uses of the uploader: its hashing, headers, and the live timing options. */
export interface AttemptServices {
  /** The pooled buffers' size: a SHA-256'd part must fit one. */
  readonly bufferSize: number;
  /**
   * A part's digest, read and hashed in the worker through a pooled lease, a read that stalls given
   * up as 'stalled' (hashing.ts, loaded with the first hash).
   */
  checksum(algorithm: ChecksumAlgorithm, body: Blob, signal: AbortSignal): Promise<Uint8Array>;
  /** Read when needed, never copied: configure() may change the timeouts while parts run. */
  readonly settings: { readonly clock: Clock; readonly stallTimeout: number; readonly responseTimeout: number; readonly partSize: number; readonly maxPartSize: number };
  /**
   * The largest request body the endpoint took after refusing a larger one (413): shared by every file
   * of the uploader, so parts never grow past it again in this session.
   */
  readonly bodyLimit: { bytes: number };
  /** The `headers` option for one request; `refused` when the server refused the previous credentials. */
  requestHeaders(refused?: boolean): Promise<HeaderRecord>;
}

/**
 * The one channel an attempt reports through. 'progress': bytes in flight changed (bytesSent).
 * 'acknowledged': the server confirmed more bytes (bytesAcknowledged). 'resume-point': the session
 * now has a resume record worth keeping (tus: the creating POST was answered, before the first
 * part's bytes go). Plain strings: the figures are read from the attempt, never copied into events.
 */
export type AttemptEvent = 'progress' | 'acknowledged' | 'resume-point';

interface PreparedPart extends PlannedPart {
  body: Blob;
  sha256?: Uint8Array;
  checksum?: PartRequest['checksum'];
}

/**
 * One attempt at sending a file's missing ranges over one session: it owns the planner, the part
 * sizer, the bytes in flight, the acknowledged ranges, the stall detectors, and the read → checksum
 * → send pipeline. The file upload that runs it keeps the state machine, the retries and the snapshot,
 * and hears of everything through `report`.
 */
export class Attempt {
  readonly #services: AttemptServices;
  readonly #file: Blob;
  readonly #session: ProtocolSession;
  /** The digest each part carries, or null when nothing is hashed. */
  readonly #algorithm: ChecksumAlgorithm | null;
  readonly #report: (event: AttemptEvent) => void;
  readonly #sizer: PartSizer;
  /** Bytes handed to the network so far, per part start, for the parts in flight. */
  readonly #inflight = new Map<number, number>();
  #acked: ByteRange[];
  /** The part that last failed the way a cut connection does (see #cutAt). */
  #broken: ByteRange | null = null;
  /** Bytes the server kept of the previous attempt's broken part, when it kept some but not all. */
  #kept = 0;

  /**
   * `previous` is the last attempt of the same file: a new one keeps its learnt part size when it
   * adapts sizes too (a reopened session may verify SHA-256 when the first did not, and SHA-256'd or
   * protocol-cut parts have one size anyway).
   */
  constructor(
    services: AttemptServices,
    file: Blob,
    session: ProtocolSession,
    algorithm: ChecksumAlgorithm | null,
    report: (event: AttemptEvent) => void,
    previous?: Attempt | null,
  ) {
    this.#services = services;
    this.#file = file;
    this.#session = session;
    this.#algorithm = algorithm;
    this.#report = report;
    this.#acked = mergeRanges(session.uploaded);
    const layout = session.capabilities.layout;
    this.#sizer = previous && previous.#sizer.adaptive && algorithm !== 'sha-256' && layout.kind === 'free' ? previous.#sizer : this.#createSizer(layout);
    if (previous && layout.kind === 'free') this.#cutAt(previous);
  }

  /**
   * A proxy that cuts request bodies at a byte count shows as a failed part of which the server kept
   * exactly that many bytes (Chromium resends the request on the reused connection and gets a 409
   * Upload-Offset conflict). The same count kept on two failures in a row is a body limit: parts are
   * capped below it, for every later file too, as after a 413.
   */
  #cutAt(previous: Attempt): void {
    const broken = previous.#broken;
    if (!broken) return;
    const kept = totalLength(this.#acked.map((r) => ({ start: Math.max(r.start, broken.start), end: Math.min(r.end, broken.end) })).filter((r) => r.end > r.start));
    if (kept <= 0 || kept >= broken.end - broken.start) return;
    if (previous.#kept !== kept) {
      this.#kept = kept;
      return;
    }
    if (kept < BODY_LIMIT_FLOOR) {
      throw new UploadError('protocol', `Request bodies are cut off after ${kept} bytes (a body limit of a proxy?), below the smallest part size (${BODY_LIMIT_FLOOR} bytes)`);
    }
    const limit = this.#services.bodyLimit;
    limit.bytes = Math.min(limit.bytes, Math.max(BODY_LIMIT_FLOOR, Math.floor(kept / 2)));
    this.#sizer.cap(limit.bytes);
  }

  get bytesAcknowledged(): number {
    return totalLength(this.#acked);
  }

  /** Acknowledged bytes plus those of parts in flight, at most the file's size. */
  get bytesSent(): number {
    let sent = this.bytesAcknowledged;
    for (const loaded of this.#inflight.values()) sent += loaded;
    return Math.min(sent, this.#file.size);
  }

  /**
   * Send every range the server lacks, up to maxParallelParts at once. When hashing, the next
   * part is hashed while the current one is on the wire, so hashing stays off the critical path.
   * The first failure aborts the other parts and is thrown once everything has settled. `lasting`
   * (destroy, offline) is what stops a request that creates the upload; `signal` (also pause and
   * cancel) stops everything else.
   */
  async run(signal: AbortSignal, lasting: AbortSignal = signal): Promise<void> {
    const planner = new PartPlanner(this.#acked, this.#file.size);
    const parallel = Math.max(1, this.#session.capabilities.maxParallelParts);
    const attempt = linkedController(signal);
    const creating = lasting === signal ? attempt.controller.signal : lasting;
    const inflight = new Set<Promise<unknown>>();
    // Held in an object: the closures below set it, which flow analysis on a plain `let` would miss.
    const outcome: { failure: { error: unknown } | null } = { failure: null };
    const fail = (error: unknown): null => {
      outcome.failure ??= { error };
      attempt.controller.abort(error);
      return null;
    };
    const prepareNext = (): Promise<PreparedPart | null> => {
      const range = planner.take(this.#sizer.size);
      return range ? this.#prepare(range, attempt.controller.signal).catch(fail) : Promise.resolve(null);
    };
    let prefetched: Promise<PreparedPart | null> | null = null;
    try {
      while (!outcome.failure) {
        if (inflight.size >= parallel) {
          await Promise.race(inflight);
          continue;
        }
        let part = prefetched ? await prefetched : null;
        prefetched = null;
        // A short acknowledgement put bytes back below the prefetched part: those go first.
        if (part && planner.hasBefore(part.start)) {
          planner.requeue(part);
          part = null;
        }
        part ??= await prepareNext();
        if (outcome.failure) break;
        if (!part) {
          if (inflight.size === 0) break;
          await Promise.race(inflight);
          continue;
        }
        const sending = this.#sendOne(part, planner, attempt.controller.signal, creating)
          .catch(fail)
          .finally(() => inflight.delete(sending));
        inflight.add(sending);
        if (this.#algorithm) prefetched = prepareNext();
      }
    } finally {
      await Promise.all([...inflight, prefetched]);
      attempt.dispose();
    }
    if (outcome.failure) throw outcome.failure.error;
  }

  #createSizer(layout: PartLayout): PartSizer {
    const { bufferSize, settings } = this.#services;
    // A CRC continues across pieces, so a part of any size is read a window at a time and its size adapts
    // as an unhashed part's does; a SHA-256'd part (SubtleCrypto takes the whole input at once) must fit
    // one pooled buffer.
    const inOneBuffer = this.#algorithm === 'sha-256';
    if (layout.kind !== 'free') {
      // The protocol cuts the parts: one size, never adapted. A SHA-256'd part is read into one pooled
      // buffer, so a larger layout cannot be hashed with it: refused before any request of the attempt.
      const size = layout.kind === 'grid' ? layout.partSize : Math.max(1, this.#file.size);
      if (inOneBuffer && size > bufferSize) {
        throw new UploadError('protocol', `Hashed parts must fit one pooled buffer (partSize: ${bufferSize} bytes); the protocol's ${layout.kind} layout needs ${size} bytes`);
      }
      return new PartSizer({ initial: size, max: size, min: size, adaptive: false });
    }
    const max = Math.min(layout.maxPartSize, inOneBuffer ? bufferSize : settings.maxPartSize, this.#services.bodyLimit.bytes);
    const initial = inOneBuffer ? bufferSize : settings.partSize;
    return new PartSizer({ initial: Math.min(initial, max), max, min: layout.minPartSize ?? 0, adaptive: !inOneBuffer });
  }

  async #prepare(part: PlannedPart, signal: AbortSignal): Promise<PreparedPart> {
    const file = this.#file;
    // The body is always the lazy slice: the browser streams it from disk, ~10x faster than
    // an ArrayBuffer body, and no copy of the bytes outlives the hashing.
    // A part that is the whole file sends the File itself: Chromium's browser process spends several
    // times the CPU on any slice of a file, even slice(0, size), than on the File (measured: 200 files
    // of 1 MiB, ~1.9 s sliced vs ~0.6 s whole).
    const whole = part.start === 0 && part.end === file.size;
    const prepared: PreparedPart = { ...part, body: whole ? file : file.slice(part.start, part.end) };
    const algorithm = this.#algorithm;
    if (!algorithm) return prepared;
    const value = await this.#services.checksum(algorithm, prepared.body, signal);
    prepared.checksum = { algorithm, value };
    if (algorithm === 'sha-256') prepared.sha256 = value;
    return prepared;
  }

  async #sendOne(part: PreparedPart, planner: PartPlanner, signal: AbortSignal, lasting: AbortSignal): Promise<void> {
    const { settings } = this.#services;
    const length = part.end - part.start;
    const request = linkedController(signal);
    // A creating request outlives a pause or cancel (PartRequest.creationSignal), still under the timers.
    const creation = linkedController(lasting);
    let stalled: UploadError | null = null;
    const detector = new StallDetector(
      settings.clock,
      () => settings.stallTimeout,
      (waiting) => {
        stalled = waiting
          ? new UploadError('timeout', `No answer ${settings.responseTimeout} ms after the part was sent`)
          : new UploadError('stalled', `No bytes sent for ${settings.stallTimeout} ms`);
        request.controller.abort(stalled);
        creation.controller.abort(stalled);
      },
      () => settings.responseTimeout,
    );
    // Disarm at the abort itself, not when the request settles: destroy() leaves no timer behind.
    creation.controller.signal.addEventListener('abort', () => detector.done(), { once: true });
    const started = settings.clock.now();
    try {
      const headers = await this.#services.requestHeaders();
      const { acknowledged } = await this.#session.sendPart({
        ...part,
        headers,
        signal: request.controller.signal,
        creationSignal: creation.controller.signal,
        onUploadProgress: (loaded) => {
          if (creation.controller.signal.aborted) return;
          // Once the whole body is out, silence means the server is working: a stall no longer,
          // but a server that never answers must not hold the request forever.
          if (loaded >= length) detector.sent();
          else detector.progress();
          // A creating request that outlives a pause: watched, but no longer counted in flight.
          if (request.controller.signal.aborted) return;
          this.#inflight.set(part.start, Math.min(Math.max(0, loaded), length));
          this.#report('progress');
        },
        // A request of the part that carries no bytes (tus: the creating POST) is judged as a sent body.
        onAwaitingAnswer() {
          if (!creation.controller.signal.aborted) detector.sent();
        },
        // Also after a pause or cancel: the record is what lets a cancel delete the upload.
        onResumePoint: () => {
          if (!creation.controller.signal.aborted) this.#report('resume-point');
        },
      });
      if (stalled) throw stalled;
      const accepted = Math.min(Math.max(0, Math.floor(acknowledged)), length);
      if (accepted === 0 && length > 0) {
        throw new UploadError('protocol', `The server took none of the ${length} bytes sent at ${part.start}`);
      }
      const end = part.start + accepted;
      this.#inflight.delete(part.start);
      this.#acked = mergeRanges([...this.#acked, { start: part.start, end }]);
      this.#report('acknowledged');
      if (accepted < length) planner.requeue({ start: end, end: part.end });
      else this.#sizer.observe(length, settings.clock.now() - started);
    } catch (error) {
      if (stalled) throw stalled;
      if (cutLike(error)) this.#broken = { start: part.start, end: part.end };
      if (!this.#tooLarge(error, length)) throw error;
      // The same bytes go again in smaller parts (lowest offset first), with no retry spent.
      planner.requeue(part);
    } finally {
      detector.done();
      request.dispose();
      creation.dispose();
      if (this.#inflight.delete(part.start)) this.#report('progress');
    }
  }

  /**
   * A 413 (the server or a proxy before it caps request bodies): halve the part size, down to
   * BODY_LIMIT_FLOOR, and remember it for every later part and file. True when the part may go again
   * smaller; at the floor (or on a layout the protocol fixed) the 413 is thrown as a clear error.
   */
  #tooLarge(error: unknown, length: number): boolean {
    if (!isUploadError(error) || error.code !== 'http-status' || error.response?.status !== 413) return false;
    const free = this.#session.capabilities.layout.kind === 'free';
    if (free && length > BODY_LIMIT_FLOOR) {
      const size = Math.max(BODY_LIMIT_FLOOR, Math.floor(length / 2));
      const limit = this.#services.bodyLimit;
      limit.bytes = Math.min(limit.bytes, size);
      this.#sizer.cap(limit.bytes);
      return true;
    }
    const { request, response } = error;
    throw new UploadError(
      'http-status',
      `Request bodies of ${length} bytes refused (413)${free ? ', even at the smallest part size' : ''}: a body size limit of the server or a proxy`,
      { cause: error, request, response },
    );
  }
}


/** How a body cut off by a proxy reaches the page: no answer, or (Chromium's silent resend) 409. */
function cutLike(error: unknown): boolean {
  return isUploadError(error) && (error.code === 'network' || (error.code === 'http-status' && error.response?.status === 409));
}

/** An AbortController that also aborts when `parent` does; dispose() detaches it. */
function linkedController(parent: AbortSignal): { controller: AbortController; dispose(): void } {
  const controller = new AbortController();
  return { controller, dispose: onAbort(parent, () => controller.abort(parent.reason)) };
}
