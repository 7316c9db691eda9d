import type { HttpStack, OpenRequest, Protocol, ProtocolSession } from '../../core/ports.js';
import { loadOnce } from '../../core/loadOnce.js';
import { XhrHttpStack } from '../http/XhrHttpStack.js';
import { absoluteUrl } from '../http/resolveUrl.js';

/** The session is a chunk of its own, loaded when a file is added (preload) or opened. */
const loadSession = loadOnce(() => import('./ResumablePutSession.js'));

export interface ResumablePutOptions {
  /** Where uploads are created (POST → Location). May be relative to the page. */
  endpoint: string;
  /** Largest PUT the server (or a proxy in front of it) accepts. Default: no limit. */
  maxPartSize?: number;
  /** Default: XMLHttpRequest, created on first use. */
  http?: HttpStack;
}

/**
 * Chunked resumable uploads with plain HTTP PUTs, `Content-Range` and `308 Resume Incomplete`: the
 * scheme of Google Cloud Storage's resumable uploads and UpChunk-style servers. Written only
 * against lean-upload's public exports (test/protocols/publicPort.test.ts checks), as an example
 * for protocols of your own.
 */
export function resumablePut(options: ResumablePutOptions): Protocol {
  const endpoint = absoluteUrl(options.endpoint);
  const maxPartSize = options.maxPartSize ?? Infinity;
  let http = options.http;
  return {
    name: 'resumable-put',
    endpoint,
    async open({ file, resume, headers, signal }: OpenRequest): Promise<ProtocolSession> {
      http ??= new XhrHttpStack();
      const { ResumablePutSession } = await loadSession();
      // Paused or destroyed while the code loaded: send nothing.
      signal.throwIfAborted();
      const session = new ResumablePutSession({ http, endpoint, file, maxPartSize }, resume?.url);
      if (resume) await session.sync(headers, signal);
      return session;
    },
    preload() {
      void loadSession();
    },
  };
}
