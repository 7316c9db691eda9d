import type { HttpStack, OpenRequest, Protocol, ProtocolSession } from '../../core/ports.js';
import { abortedError, onAbort } from '../../core/onAbort.js';
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
  const mode = options.creationWithUpload ?? 'auto';
  // One OPTIONS per protocol instance, shared by every file.
  let discovery: Promise<TusServerInfo> | undefined;
  let http = options.http;
  return {
    name: 'tus',
    endpoint,
    async open(request: OpenRequest): Promise<ProtocolSession> {
      http ??= new XhrHttpStack();
      discovery ??= discoverTus(http, endpoint, request.headers).catch(() => {
        // No answer at all (offline, refused): assume for now, ask again for the next file.
        discovery = undefined;
        return ASSUMED_SERVER;
      });
      const server = await untilAborted(discovery, request.signal);
      const session = new TusSession({
        http,
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
  return new Promise<T>((resolve, reject) => {
    promise.then(resolve, reject).finally(onAbort(signal, () => reject(abortedError(signal.reason))));
  });
}
