import type { HttpRequest, HttpResponse, HttpStack } from '../../core/ports.js';
import { UploadError, stripCredentials } from '../../core/UploadError.js';

/**
 * The browser's HttpStack. XMLHttpRequest rather than fetch because fetch still has no upload
 * progress for ordinary (non-streaming) bodies, and a Blob body lets the browser stream the
 * file slice from disk without copying it into JS memory.
 * Nothing here touches `window` at import time, so the module is safe to load during SSR.
 */
export class XhrHttpStack implements HttpStack {
  send(request: HttpRequest): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      const described = { method: request.method, url: stripCredentials(request.url) };
      const { signal } = request;
      if (signal?.aborted) {
        reject(abortedError(described, signal.reason));
        return;
      }
      const xhr = new XMLHttpRequest();
      const onAbortSignal = (): void => xhr.abort();
      const settle = (): void => signal?.removeEventListener('abort', onAbortSignal);

      xhr.open(request.method, request.url, true);
      for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
      const progress = request.onUploadProgress;
      // Only listen when asked: an upload listener makes cross-origin requests preflighted.
      if (progress && request.body) {
        xhr.upload.onprogress = (event) => progress(event.loaded, event.total);
      }
      xhr.onload = () => {
        settle();
        resolve({
          status: xhr.status,
          header: (name) => xhr.getResponseHeader(name),
          body: xhr.responseText,
        });
      };
      xhr.onerror = () => {
        settle();
        reject(new UploadError('network', 'Network error: no response', { request: described }));
      };
      xhr.ontimeout = () => {
        settle();
        reject(new UploadError('network', 'Request timed out', { request: described }));
      };
      xhr.onabort = () => {
        settle();
        reject(abortedError(described, signal?.reason));
      };
      signal?.addEventListener('abort', onAbortSignal, { once: true });
      xhr.send(toXhrBody(request.body));
    });
  }
}

function abortedError(request: { method: string; url: string }, reason: unknown): UploadError {
  return new UploadError('aborted', 'Request aborted', { request, cause: reason });
}

function toXhrBody(body: HttpRequest['body']): XMLHttpRequestBodyInit | null {
  if (body == null) return null;
  if (body instanceof Blob) return body;
  // Bodies come from the pool's ArrayBuffers, never a SharedArrayBuffer; XHR copies the view at send().
  return body as Uint8Array<ArrayBuffer>;
}
