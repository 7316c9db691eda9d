import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { Server } from '@tus/server';
import type { DataStore } from '@tus/utils';
import { ChecksumFileStore } from './ChecksumFileStore.js';
import { faultyBody } from './faultyBody.js';
import { InstrumentedFileStore } from './InstrumentedFileStore.js';
import { bodyCut, intermediaryFault } from './intermediaryFaults.js';
import { InterruptingLocker } from './InterruptingLocker.js';
import { TEST_SCOPE_HEADER, TusFaults } from './TusFaults.js';
import { tusRequestContext, type TusRequestContext } from './tusRequestContext.js';

export interface TusHandlerOptions {
  /** Folder for this route's uploads: `${directory}/${id}` holds the bytes. Keep it under .uploads/. */
  directory: string;
  /** URL prefix, e.g. '/files'. */
  route: string;
  /** Verify Upload-Checksum (lean-upload/server's TusChecksumStore: sha1, sha256, crc32) and answer 460 on mismatch. */
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
  readonly store: DataStore;
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
  return new TusRouteHandler(options);
}

class TusRouteHandler implements TusHandler {
  readonly route: string;
  readonly directory: string;
  readonly checksum: boolean;
  readonly server: Server;
  readonly store: DataStore;
  private readonly checksums: ChecksumFileStore | null;
  readonly faults = new TusFaults();
  private readonly closing = new AbortController();
  private entries: TusLogEntry[] = [];

  constructor(options: TusHandlerOptions) {
    this.route = options.route;
    this.checksum = options.checksum;
    this.directory = path.resolve(options.directory);
    const storeOptions = { directory: this.directory, expirationPeriodInMilliseconds: options.expirationMs ?? 24 * 60 * 60 * 1000 };
    const files = new InstrumentedFileStore(storeOptions);
    this.checksums = options.checksum ? new ChecksumFileStore(files) : null;
    this.store = this.checksums ?? files;
    this.server = new Server({
      path: this.route,
      datastore: this.store,
      relativeLocation: true,
      locker: new InterruptingLocker(),
      allowedHeaders: ['Upload-Checksum'],
      exposedHeaders: ['Upload-Expires', 'Upload-Checksum', 'Tus-Checksum-Algorithm'],
    });
  }

  get log(): readonly TusLogEntry[] {
    return this.entries;
  }

  clearLog(): void {
    this.entries = [];
  }

  matches(url: string): boolean {
    const { route } = this;
    return url === route || url.startsWith(`${route}/`) || url.startsWith(`${route}?`);
  }

  handle(req: IncomingMessage, res: ServerResponse, next?: NextFunction): void {
    if (!this.matches(req.url ?? '')) {
      if (next) next();
      else res.writeHead(404).end();
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const scope = headerValue(req, TEST_SCOPE_HEADER);
    const failure = this.faults.take('fail', method, scope);
    const hang = failure ? undefined : this.faults.take('hang', method, scope);
    const context = requestContext(req, res, { method, scope, faults: failure ? undefined : this.faults }, this.closing.signal);
    res.once('close', () => {
      const entry = logEntry(req, res, this.route, context);
      this.entries.push(entry);
      // After a hang-up tus still writes what arrived: keep the entry's count true.
      context.onStored = (bytes) => {
        entry.bytesStored += bytes;
      };
    });
    // Faults of what sits in front of the server or under it: proxies, tokens, a lost disk.
    if (intermediaryFault(this, req, res, method, scope)) return;
    if (failure) {
      answerFault(req, res, failure);
      return;
    }
    const serve = (): void =>
      tusRequestContext.run(context, () => {
        // The checksum store's entry point hands it the request's Upload-Checksum and advertises its algorithms.
        (this.checksums ? this.checksums.handle(this.server, req, res) : this.server.handle(req, res)).catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(500).end(String(error));
        });
      });
    if (!hang) {
      serve();
      return;
    }
    // A client that gave up waiting has hung up: there is nobody left to answer.
    void silence(hang.ms, context.stop).then((interrupted) => {
      if (!interrupted) serve();
    });
  }

  close(): void {
    this.faults.clear();
    this.closing.abort();
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
  const cut = faults ? bodyCut(req, faults, method, scope) : undefined;
  // Once per request: the checksum store applies the faults before its digest, the FileStore under it must not again.
  let wrapped = false;
  return {
    method,
    scope,
    uploadChecksum: headerValue(req, 'upload-checksum'),
    stop,
    interrupt,
    bytesStored: 0,
    onStored: () => {},
    wrapBody: (body) => {
      if (wrapped || !(stall || corrupt || cut)) return body;
      wrapped = true;
      return Readable.from(faultyBody(body, { stall, corrupt: corrupt !== undefined, cut, stop }));
    },
  };
}

/** Answer an injected failure after reading the body, so the browser sees a response, not a reset. */
export function answerFault(req: IncomingMessage, res: ServerResponse, fault: { status: number; retryAfter?: number; body?: string }): void {
  const headers: Record<string, string> = { 'Tus-Resumable': '1.0.0', 'Content-Type': 'text/plain' };
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
  req.resume();
  req.once('end', () => res.writeHead(fault.status, headers).end(fault.body ?? `Injected fault ${fault.status}\n`));
}

/** Resolves after `ms`, or at once with true when `stop` aborts first. */
function silence(ms: number, stop: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (stop.aborted) return resolve(true);
    const timer = setTimeout(() => {
      stop.removeEventListener('abort', interrupted);
      resolve(false);
    }, ms);
    const interrupted = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    stop.addEventListener('abort', interrupted, { once: true });
  });
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
