import type { HttpStack, OpenRequest, Protocol, ProtocolSession } from '../../core/ports.js';
import { UploadError } from '../../core/UploadError.js';
import { XhrHttpStack } from '../http/XhrHttpStack.js';
import { absoluteUrl } from '../http/resolveUrl.js';
import { ASSUMED_SERVER, discoverTus, type TusServerInfo } from './discoverTus.js';
import { TusSession } from './TusSession.js';

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
  let http = options.http;
  // One OPTIONS per protocol instance, shared by every file.
  let discovery: Promise<TusServerInfo> | undefined;

  const serverInfo = (request: OpenRequest): Promise<TusServerInfo> => {
    discovery ??= discoverTus(http ?? (http = new XhrHttpStack()), endpoint, request.headers).catch(() => {
      // No answer at all (offline, refused): assume for now, ask again for the next file.
      discovery = undefined;
      return ASSUMED_SERVER;
    });
    return untilAborted(discovery, request.signal);
  };

  return {
    name: 'tus',
    endpoint,
    async open(request: OpenRequest): Promise<ProtocolSession> {
      const server = await serverInfo(request);
      const mode = options.creationWithUpload ?? 'auto';
      const session = new TusSession({
        http: http ?? (http = new XhrHttpStack()),
        endpoint,
        server,
        creationWithUpload: mode === 'auto' ? server.extensions.has('creation-with-upload') : mode,
        file: request.file,
      });
      if (request.resume) await session.resumeFrom(request.resume, request.headers, request.signal);
      return session;
    },
  };
}

/** Waits for a shared promise, but lets one waiter give up without cancelling it for the others. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  const aborted = (): UploadError => new UploadError('aborted', 'Aborted while asking the tus server for its capabilities', { cause: signal.reason });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
