import type { HttpRequest, HttpResponse, HttpStack } from '../../core/ports.js';
import { onAbort } from '../../core/onAbort.js';
import { noResponse } from './sendRequest.js';

/**
 * The browser's HttpStack. XMLHttpRequest rather than fetch because fetch still has no upload
 * progress for ordinary (non-streaming) bodies, and a Blob body lets the browser stream the
 * file slice from disk without copying it into JS memory.
 * Nothing here touches `window` at import time, so the module is safe to load during SSR.
 */
export class XhrHttpStack implements HttpStack {
  send(request: HttpRequest): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      const { signal, onUploadProgress: progress, body } = request;
      if (signal?.aborted) return reject(noResponse(request, signal.reason));
      const xhr = new XMLHttpRequest();
      xhr.open(request.method, request.url, true);
      for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
      // Only listen when asked: an upload listener makes cross-origin requests preflighted.
      if (progress && body) xhr.upload.onprogress = (event) => progress(event.loaded, event.total);
      // After load, error and abort alike; status 0 means no response arrived.
      xhr.onloadend = () => {
        stop();
        if (xhr.status === 0) reject(noResponse(request, signal?.reason));
        else resolve({ status: xhr.status, header: (name) => xhr.getResponseHeader(name), body: xhr.responseText });
      };
      // Not yet aborted (checked above): the listener cannot run before send().
      const stop = onAbort(signal, () => xhr.abort());
      // Bodies come from the file or the pool's ArrayBuffers, never a SharedArrayBuffer; XHR copies a view at send().
      xhr.send((body ?? null) as XMLHttpRequestBodyInit | null);
    });
  }
}
