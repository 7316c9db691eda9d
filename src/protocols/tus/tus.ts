import type { HeaderRecord, HttpStack, OpenRequest, Protocol, ProtocolSession } from '../../core/ports.js';
import { onAbort } from '../../core/onAbort.js';
import { loadOnce } from '../../core/loadOnce.js';
import { XhrHttpStack } from '../http/XhrHttpStack.js';
import { absoluteUrl } from '../http/resolveUrl.js';
import { noResponse } from '../http/sendRequest.js';
import { ASSUMED_SERVER, discoverTus, type TusServerInfo } from './discoverTus.js';

/**
 * The session (and its metadata encoding) is a chunk of its own, loaded when a file is added
 * (preload) or at the latest beside the OPTIONS.
 */
const loadSession = loadOnce(() => import('./TusSession.js'));

export interface TusOptions {
  /** Where uploads are created (POST). May be relative to the page, e.g. '/files'. */
  endpoint: string;
  /** Default: XMLHttpRequest, created on first use so importing this module is SSR-safe. */
  http?: HttpStack;
  /**
   * Send a whole file in the creating POST (one request per small file).
   * 'auto': when the server advertises creation-with-upload. Default 'auto'.
   */
  creationWithUpload?: boolean | 'auto';
}

/** The tus 1.0 resumable upload protocol (https://tus.io/protocols/resumable-upload). */
export function tus(options: TusOptions): Protocol {
  const endpoint = absoluteUrl(options.endpoint);
  const mode = options.creationWithUpload ?? 'auto';
  const discover = sharedDiscovery(endpoint);
  let http = options.http;
  return {
    name: 'tus',
    endpoint,
    async open(request: OpenRequest): Promise<ProtocolSession> {
      http ??= new XhrHttpStack();
      // The OPTIONS and the session's code at once: neither waits for the other.
      const [server, { TusSession }] = await Promise.all([discover(http, request.headers, request.signal), loadSession()]);
      const session = new TusSession({
        http,
        endpoint,
        server,
        creationWithUpload: mode === 'auto' ? server.extensions.has('creation-with-upload') : mode,
        file: request.file,
        checksum: request.checksum,
      });
      if (request.resume) await session.resumeFrom(request.resume, request.headers, request.signal);
      return session;
    },
    preload() {
      void loadSession();
    },
  };
}

interface Discovery {
  readonly answer: Promise<TusServerInfo>;
  readonly controller: AbortController;
  waiters: number;
}

/**
 * One OPTIONS per protocol instance, shared by every file. A file that stops waiting (paused, or no
 * answer within the engine's responseTimeout) leaves without cancelling it for the others; when the
 * last one leaves, the request is aborted and the next file asks again, so an OPTIONS the server
 * never answers is not waited on by every later file too.
 */
function sharedDiscovery(endpoint: string) {
  let current: Discovery | undefined;
  return (http: HttpStack, headers: HeaderRecord, signal: AbortSignal): Promise<TusServerInfo> => {
    if (!current) {
      const controller = new AbortController();
      const started: Discovery = {
        controller,
        waiters: 0,
        answer: discoverTus(http, endpoint, headers, controller.signal).catch(() => {
          // No answer at all (offline, refused, abandoned): assume for now, ask again for the next file.
          if (current === started) current = undefined;
          return ASSUMED_SERVER;
        }),
      };
      current = started;
    }
    const discovery = current;
    discovery.waiters++;
    return new Promise<TusServerInfo>((resolve, reject) => {
      // Detached once answered, so a waiter leaves (and is counted out) at most once.
      const stop = onAbort(signal, () => {
        // Names the OPTIONS, as its own error would, so the engine's timeout says which request hung.
        reject(noResponse({ method: 'OPTIONS', url: endpoint, signal }, signal.reason));
        if (--discovery.waiters > 0) return;
        if (current === discovery) current = undefined;
        discovery.controller.abort(signal.reason);
      });
      void discovery.answer.then((server) => {
        stop();
        resolve(server);
      });
    });
  };
}
