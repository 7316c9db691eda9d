import { createHash } from 'node:crypto';
import type {
  ByteRange,
  Clock,
  HeaderRecord,
  OpenRequest,
  PartRequest,
  PartResult,
  Protocol,
  ProtocolSession,
  ResumeRecord,
  SessionCapabilities,
} from '../../src/core/ports.js';
import { UploadError } from '../../src/core/UploadError.js';

export type CallKind = 'open' | 'sendPart' | 'sync' | 'complete' | 'terminate';

/** One call the engine made, as a line of a transcript. */
export interface FakeCall {
  kind: CallKind;
  file: string;
  url: string | null;
  at: number;
  headers: HeaderRecord;
  start?: number;
  end?: number;
  last?: boolean;
  /** Hex digest sent with the part. */
  sha256?: string;
  bodyKind?: 'blob' | 'bytes';
  /** sendPart only: the body object itself, to tell the whole File from a slice of it. */
  body?: Blob | Uint8Array;
  resume?: ResumeRecord;
  /** open only: the metadata the engine sends to the server. */
  metadata?: Record<string, string>;
}

/** A part the test holds open: it decides when bytes flow and how the server answers. */
export interface HeldPart {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly signal: AbortSignal;
  progress(loaded: number): void;
  /** Store the bytes and answer; `acknowledged` defaults to the whole part. */
  resolve(acknowledged?: number): Promise<void>;
  reject(error: UploadError): void;
}

export interface ServerUpload {
  url: string;
  name: string;
  size: number;
  bytes: Uint8Array;
  received: ByteRange[];
  completed: boolean;
  terminated: boolean;
}

export interface FakeProtocolOptions {
  endpoint?: string;
  capabilities?: Partial<SessionCapabilities>;
  /** Timestamps calls, and times parts when `latency` is set. */
  clock?: Clock;
  /** Like tus creation-with-upload: the server upload exists only once the first part arrives. */
  deferCreation?: boolean;
  /** Server expiry sent with the resume record. */
  expiresAt?: number;
  /** When set, each part answers after this many ms of the clock (progress for all bytes at once). */
  latency?: (part: ByteRange) => number;
  /** Upload URLs start with this. Default 'https://fake.test/files/'. */
  urlBase?: string;
  /** Parts longer than this are refused with 413, as a proxy capping request bodies does. */
  maxBody?: number;
}

interface Failure {
  error: UploadError;
  /** sendPart only: bytes the server kept before the failure (found by a later sync). */
  keep?: number;
}

export interface FakeProtocol extends Protocol {
  readonly calls: FakeCall[];
  /** Shared by every session; a test may change it between attempts (a server reconfigured). */
  readonly capabilities: SessionCapabilities;
  readonly uploads: Map<string, ServerUpload>;
  /** Parts waiting for the test (when holding). */
  readonly held: HeldPart[];
  /** Make the next call of `kind` fail with `error`. Queued: call twice to fail twice. */
  failNext(kind: CallKind, error: UploadError, options?: { keep?: number }): void;
  /** The next part is acknowledged for only its first `bytes` bytes (tus may accept fewer). */
  acceptNext(bytes: number): void;
  /** From now on, parts wait until the test resolves them. */
  hold(on?: boolean): void;
  count(kind: CallKind): number;
  parts(file?: string): FakeCall[];
  /** Most parts in flight at once, across all files. */
  readonly maxPartsInFlight: number;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** An in-memory server and protocol implementing ports.ts, scriptable from tests. */
export function createFakeProtocol(options: FakeProtocolOptions = {}): FakeProtocol {
  const calls: FakeCall[] = [];
  const uploads = new Map<string, ServerUpload>();
  const held: HeldPart[] = [];
  const failures = new Map<string, Failure[]>();
  const shortAcks: number[] = [];
  let holding = false;
  let nextUpload = 1;
  let inFlight = 0;
  let maxInFlight = 0;
  const capabilities: SessionCapabilities = {
    checksum: null,
    maxParallelParts: 1,
    layout: { kind: 'free', maxPartSize: Number.MAX_SAFE_INTEGER },
    ...options.capabilities,
  };
  const now = (): number => options.clock?.now() ?? 0;
  const takeFailure = (kind: string): Failure | undefined => failures.get(kind)?.shift();

  function record(kind: CallKind, file: string, url: string | null, headers: HeaderRecord, extra: Partial<FakeCall> = {}): void {
    calls.push({ kind, file, url, at: now(), headers: { ...headers }, ...extra });
  }

  function create(request: OpenRequest): ServerUpload {
    const url = `${options.urlBase ?? 'https://fake.test/files/'}${nextUpload++}`;
    const upload: ServerUpload = {
      url,
      name: request.file.name,
      size: request.file.size,
      bytes: new Uint8Array(request.file.size),
      received: [],
      completed: false,
      terminated: false,
    };
    uploads.set(url, upload);
    return upload;
  }

  function openSession(request: OpenRequest, existing: ServerUpload | undefined): ProtocolSession {
    let upload = existing ?? (options.deferCreation ? undefined : create(request));
    let uploaded: ByteRange[] = existing ? existing.received.map((r) => ({ ...r })) : [];
    const name = request.file.name;

    async function store(part: PartRequest, bytes: number): Promise<void> {
      upload ??= create(request);
      if (bytes > 0) {
        const body = new Uint8Array(await part.body.slice(0, bytes).arrayBuffer());
        upload.bytes.set(body, part.start);
      }
      upload.received = mergeRanges([...upload.received, { start: part.start, end: part.start + bytes }]);
      uploaded = upload.received.map((r) => ({ ...r }));
    }

    async function verify(part: PartRequest): Promise<void> {
      const contiguous = upload?.received[0]?.end ?? 0;
      if (capabilities.maxParallelParts === 1 && part.start !== contiguous) {
        throw new UploadError('http-status', `fake server: offset ${part.start} does not match ${contiguous}`, {
          response: { status: 409, body: 'offset mismatch', headers: {} },
        });
      }
      if (part.sha256) {
        const body = part.body instanceof Blob ? new Uint8Array(await part.body.arrayBuffer()) : part.body;
        const digest = createHash('sha256').update(body).digest('hex');
        if (digest !== hex(part.sha256)) throw new UploadError('checksum-mismatch', 'fake server: checksum mismatch');
      }
    }

    async function sendPart(part: PartRequest): Promise<PartResult> {
      record('sendPart', name, upload?.url ?? null, part.headers, {
        start: part.start,
        end: part.end,
        last: part.last,
        bodyKind: part.body instanceof Blob ? 'blob' : 'bytes',
        body: part.body,
        ...(part.sha256 ? { sha256: hex(part.sha256) } : {}),
      });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        const failure = takeFailure('sendPart');
        if (failure) {
          if (failure.keep) await store(part, failure.keep);
          throw failure.error;
        }
        const length = part.end - part.start;
        if (options.maxBody !== undefined && length > options.maxBody) {
          throw new UploadError('http-status', `fake proxy: ${length} bytes exceed the body limit`, { response: { status: 413, body: 'Payload Too Large', headers: {} } });
        }
        await verify(part);
        if (holding) return await holdPart(part, length);
        const accept = shortAcks.shift() ?? length;
        if (options.latency && options.clock) {
          part.onUploadProgress(length);
          await wait(options.clock, options.latency(part), part.signal);
        } else {
          part.onUploadProgress(length);
        }
        await store(part, accept);
        return { acknowledged: accept };
      } finally {
        inFlight--;
      }
    }

    function holdPart(part: PartRequest, length: number): Promise<PartResult> {
      return new Promise<PartResult>((resolve, reject) => {
        const entry: HeldPart = {
          file: name,
          start: part.start,
          end: part.end,
          signal: part.signal,
          progress: (loaded) => part.onUploadProgress(loaded),
          async resolve(acknowledged = length) {
            remove();
            await store(part, acknowledged);
            resolve({ acknowledged });
          },
          reject(error) {
            remove();
            reject(error);
          },
        };
        const remove = (): void => {
          const index = held.indexOf(entry);
          if (index >= 0) held.splice(index, 1);
          part.signal.removeEventListener('abort', onAbort);
        };
        const onAbort = (): void => entry.reject(new UploadError('aborted', 'fake: request aborted', { cause: part.signal.reason }));
        if (part.signal.aborted) return onAbort();
        part.signal.addEventListener('abort', onAbort, { once: true });
        held.push(entry);
      });
    }

    return {
      capabilities,
      get uploaded() {
        return uploaded;
      },
      resumeRecord() {
        if (!upload) return undefined;
        return { url: upload.url, ...(options.expiresAt !== undefined ? { expiresAt: options.expiresAt } : {}) };
      },
      sendPart,
      async sync(headers, signal) {
        record('sync', name, upload?.url ?? null, headers);
        const failure = takeFailure('sync');
        if (failure) throw failure.error;
        if (signal.aborted) throw new UploadError('aborted', 'fake: sync aborted');
        // Like tus on 404/410: the server lost the upload, so the session starts a new one.
        if (upload?.terminated) upload = undefined;
        uploaded = upload ? upload.received.map((r) => ({ ...r })) : [];
      },
      async complete(headers, signal) {
        record('complete', name, upload?.url ?? null, headers);
        const failure = takeFailure('complete');
        if (failure) throw failure.error;
        if (signal.aborted) throw new UploadError('aborted', 'fake: complete aborted');
        if (upload) upload.completed = true;
      },
      async terminate(headers) {
        record('terminate', name, upload?.url ?? null, headers);
        const failure = takeFailure('terminate');
        if (failure) throw failure.error;
        if (upload) upload.terminated = true;
      },
    };
  }

  const findUpload = (url: string): ServerUpload | undefined =>
    [...uploads.values()].find((u) => u.url.replace(/\/\/[^/@]*@/, '//') === url.replace(/\/\/[^/@]*@/, '//'));

  return {
    name: 'fake',
    endpoint: options.endpoint ?? 'https://fake.test/files',
    calls,
    capabilities,
    uploads,
    held,
    async open(request) {
      record('open', request.file.name, null, request.headers, {
        metadata: { ...request.file.metadata },
        ...(request.resume ? { resume: request.resume } : {}),
      });
      const failure = takeFailure('open');
      if (failure) throw failure.error;
      if (request.signal.aborted) throw new UploadError('aborted', 'fake: open aborted');
      // Like a real server, a resume URL is looked up without the userinfo a client may have stripped.
      const existing = request.resume ? findUpload(request.resume.url) : undefined;
      return openSession(request, existing && !existing.terminated ? existing : undefined);
    },
    failNext(kind, error, extra = {}) {
      const queue = failures.get(kind) ?? [];
      queue.push({ error, ...extra });
      failures.set(kind, queue);
    },
    acceptNext(bytes) {
      shortAcks.push(bytes);
    },
    hold(on = true) {
      holding = on;
    },
    count: (kind) => calls.filter((c) => c.kind === kind).length,
    parts: (file) => calls.filter((c) => c.kind === 'sendPart' && (file === undefined || c.file === file)),
    get maxPartsInFlight() {
      return maxInFlight;
    },
  };
}

function mergeRanges(ranges: ByteRange[]): ByteRange[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: ByteRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

function wait(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(new UploadError('aborted', 'fake: request aborted'));
    };
    const handle = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
