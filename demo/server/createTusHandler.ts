import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { MemoryLocker, Server, type Lock, type Locker } from '@tus/server';
import { ChecksumFileStore } from './ChecksumFileStore.js';
import { InstrumentedFileStore } from './InstrumentedFileStore.js';
import { TEST_SCOPE_HEADER, TusFaults } from './TusFaults.js';
import { tusRequestContext, type TusRequestContext } from './tusRequestContext.js';

export interface TusHandlerOptions {
  /** Folder for this route's uploads: `${directory}/${id}` holds the bytes. Keep it under .uploads/. */
  directory: string;
  /** URL prefix, e.g. '/files'. */
  route: string;
  /** Verify Upload-Checksum (sha256) and answer 460 on mismatch. */
  checksum: boolean;
  /** Unfinished uploads expire (and Upload-Expires is sent) after this long. Default 24 h; 0: never. */
  expirationMs?: number;
}

/** One request the handler answered, for tests that count what reached the server. */
export interface TusLogEntry {
  method: string;
  /** The request's X-Test-Scope header. */
  scope: string | null;
  /** The upload id in the URL, null for the creation endpoint. */
  id: string | null;
  status: number;
  /** The request's Upload-Offset, for PATCH. */
  uploadOffset: number | null;
  hadChecksum: boolean;
  /** Body bytes the store kept from this request. */
  bytesStored: number;
}

export type NextFunction = (error?: unknown) => void;

export interface TusHandler {
  readonly route: string;
  readonly directory: string;
  readonly checksum: boolean;
  readonly server: Server;
  readonly store: InstrumentedFileStore;
  readonly faults: TusFaults;
  /** Requests answered so far, oldest first (cleared by clearLog). */
  readonly log: readonly TusLogEntry[];
  clearLog(): void;
  /** True when the URL belongs to this route. */
  matches(url: string): boolean;
  /** Connect-style middleware: answers this route's requests, passes the rest to next(). */
  handle(req: IncomingMessage, res: ServerResponse, next?: NextFunction): void;
  /** Ends stalls in progress and forgets faults. */
  close(): void;
}

/** A real @tus/server with @tus/file-store for one route, usable inside Vite or any Node server. */
export function createTusHandler(options: TusHandlerOptions): TusHandler {
  const { route, checksum } = options;
  const directory = path.resolve(options.directory);
  const storeOptions = { directory, expirationPeriodInMilliseconds: options.expirationMs ?? 24 * 60 * 60 * 1000 };
  const store = checksum ? new ChecksumFileStore(storeOptions) : new InstrumentedFileStore(storeOptions);
  const server = new Server({
    path: route,
    datastore: store,
    relativeLocation: true,
    locker: new InterruptingLocker(),
    allowedHeaders: ['Upload-Checksum'],
    exposedHeaders: ['Upload-Expires', 'Upload-Checksum', 'Tus-Checksum-Algorithm'],
  });
  const faults = new TusFaults();
  const closing = new AbortController();
  let log: TusLogEntry[] = [];

  const matches = (url: string): boolean => url === route || url.startsWith(`${route}/`) || url.startsWith(`${route}?`);

  const handle = (req: IncomingMessage, res: ServerResponse, next?: NextFunction): void => {
    const url = req.url ?? '';
    if (!matches(url)) {
      if (next) next();
      else res.writeHead(404).end();
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const scope = headerValue(req, TEST_SCOPE_HEADER);
    const failure = faults.take('fail', method, scope);
    const context = requestContext(req, res, { method, scope, faults: failure ? undefined : faults }, closing.signal);
    res.once('close', () => {
      const entry = logEntry(req, res, route, context);
      log.push(entry);
      // After a hang-up tus still writes what arrived: keep the entry's count true.
      context.onStored = (bytes) => {
        entry.bytesStored += bytes;
      };
    });
    if (failure) {
      answerFault(req, res, failure);
      return;
    }
    // @tus/server has no hook for extra OPTIONS headers; Node merges these into its writeHead.
    if (checksum && method === 'OPTIONS') res.setHeader('Tus-Checksum-Algorithm', 'sha256');
    tusRequestContext.run(context, () => {
      server.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
    });
  };

  return {
    route,
    directory,
    checksum,
    server,
    store,
    faults,
    get log() {
      return log;
    },
    clearLog: () => {
      log = [];
    },
    matches,
    handle,
    close: () => {
      faults.clear();
      closing.abort();
    },
  };
}

/**
 * tus's MemoryLocker, plus: when tus aborts a request or another request asks for its lock, the
 * request's context is interrupted. A stalled body (an injected fault) then resumes, as a real
 * server's would once tus gives up on it; a paused socket never sees the client hang up.
 */
class InterruptingLocker implements Locker {
  private readonly inner = new MemoryLocker();

  newLock(id: string): Lock {
    const lock = this.inner.newLock(id);
    return {
      lock: (signal, requestRelease) => {
        const context = tusRequestContext.getStore();
        if (context) signal.addEventListener('abort', context.interrupt, { once: true });
        return lock.lock(signal, () => {
          context?.interrupt();
          return requestRelease();
        });
      },
      unlock: () => lock.unlock(),
    };
  }
}

interface RequestFacts {
  method: string;
  scope: string | null;
  /** Undefined when the request is answered by an injected failure. */
  faults: TusFaults | undefined;
}

function requestContext(req: IncomingMessage, res: ServerResponse, facts: RequestFacts, closing: AbortSignal): TusRequestContext {
  const { method, scope, faults } = facts;
  const interrupted = new AbortController();
  const interrupt = (): void => interrupted.abort();
  res.once('close', interrupt);
  const stop = AbortSignal.any([interrupted.signal, closing]);
  const stall = faults?.take('stall', method, scope);
  const corrupt = faults?.take('corrupt', method, scope);
  return {
    method,
    scope,
    uploadChecksum: headerValue(req, 'upload-checksum'),
    stop,
    interrupt,
    bytesStored: 0,
    onStored: () => {},
    wrapBody: (body) => (stall || corrupt ? Readable.from(faulty(body, { stall, corrupt: corrupt !== undefined, stop })) : body),
  };
}

interface BodyFaults {
  stall: { afterBytes: number; ms: number } | undefined;
  corrupt: boolean;
  stop: AbortSignal;
}

async function* faulty(source: Readable, { stall, corrupt, stop }: BodyFaults): AsyncGenerator<Buffer> {
  let seen = 0;
  let stalled = false;
  let corrupted = false;
  for await (const chunk of source) {
    let bytes = chunk as Buffer;
    if (corrupt && !corrupted && bytes.length > 0) {
      bytes = Buffer.from(bytes);
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      corrupted = true;
    }
    if (stall && !stalled && seen + bytes.length > stall.afterBytes) {
      const before = Math.max(0, stall.afterBytes - seen);
      if (before > 0) yield bytes.subarray(0, before);
      stalled = true;
      await sleep(stall.ms, stop);
      bytes = bytes.subarray(before);
    }
    seen += bytes.length;
    if (bytes.length > 0) yield bytes;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Answer an injected failure after reading the body, so the browser sees a response, not a reset. */
function answerFault(req: IncomingMessage, res: ServerResponse, fault: { status: number; retryAfter?: number; body?: string }): void {
  const headers: Record<string, string> = { 'Tus-Resumable': '1.0.0', 'Content-Type': 'text/plain' };
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
  req.resume();
  req.once('end', () => res.writeHead(fault.status, headers).end(fault.body ?? `Injected fault ${fault.status}\n`));
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

function logEntry(req: IncomingMessage, res: ServerResponse, route: string, context: TusRequestContext): TusLogEntry {
  const pathname = (req.url ?? '').split('?')[0] ?? '';
  const rest = pathname.slice(route.length).replace(/^\/+/, '');
  const offset = req.headers['upload-offset'];
  return {
    method: context.method,
    scope: context.scope,
    id: rest === '' ? null : decodeURIComponent(rest),
    // 0: the client hung up before an answer was sent.
    status: res.headersSent ? res.statusCode : 0,
    uploadOffset: typeof offset === 'string' && /^\d+$/.test(offset) ? Number(offset) : null,
    hadChecksum: context.uploadChecksum !== null,
    bytesStored: context.bytesStored,
  };
}
