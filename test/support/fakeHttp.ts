import type { HttpRequest, HttpResponse, HttpStack } from '../../src/core/ports.js';

/** A request the code under test sent, waiting for the test to answer it. */
export interface PendingRequest {
  readonly method: string;
  readonly url: string;
  readonly body: HttpRequest['body'];
  readonly signal: AbortSignal | undefined;
  /** Headers as sent, with their original names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Case-insensitive request header lookup; null when absent. */
  header(name: string): string | null;
  /** Answer with a status, headers and body. */
  respond(status: number, headers?: Record<string, string>, body?: string): void;
  /** No response: a network failure. */
  fail(error?: unknown): void;
  /** Report upload progress as XHR would. */
  progress(loaded: number): void;
  readonly settled: boolean;
}

/**
 * An HttpStack driven by the test, so protocol tests read like transcripts:
 * `const req = await http.next('PATCH', url); expect(req.header('Upload-Offset')).toBe('0'); req.respond(204, {...})`.
 * Aborting a request's signal rejects it the way fetch does (a DOMException named AbortError),
 * so protocols are tested against stacks other than our own XHR one.
 */
export class FakeHttp implements HttpStack {
  /** Every request ever sent, in order. */
  readonly log: PendingRequest[] = [];
  private readonly queue: PendingRequest[] = [];
  private readonly waiters: Array<(request: PendingRequest) => void> = [];

  send(request: HttpRequest): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        request.signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const onAbort = (): void => {
        if (settle()) reject(new DOMException('The operation was aborted.', 'AbortError'));
      };
      if (request.signal?.aborted) {
        onAbort();
        return;
      }
      request.signal?.addEventListener('abort', onAbort, { once: true });
      const pending: PendingRequest = {
        method: request.method,
        url: request.url,
        body: request.body,
        signal: request.signal,
        headers: { ...request.headers },
        header: (name) => lookup(request.headers, name),
        respond(status, headers = {}, body = '') {
          if (settle()) resolve({ status, header: (name) => lookup(headers, name), body });
        },
        fail(error = new TypeError('Failed to fetch')) {
          if (settle()) reject(error);
        },
        progress(loaded) {
          request.onUploadProgress?.(loaded, bodySize(request.body));
        },
        get settled() {
          return settled;
        },
      };
      this.log.push(pending);
      const waiter = this.waiters.shift();
      if (waiter) waiter(pending);
      else this.queue.push(pending);
    });
  }

  /** The next request sent (waiting for it if needed), optionally checking method and URL. */
  async next(method?: string, url?: string): Promise<PendingRequest> {
    const request = this.queue.shift() ?? (await new Promise<PendingRequest>((resolve) => this.waiters.push(resolve)));
    if (method !== undefined && request.method !== method) {
      throw new Error(`expected ${method} ${url ?? ''} but the next request was ${request.method} ${request.url}`);
    }
    if (url !== undefined && request.url !== url) {
      throw new Error(`expected ${method ?? 'a request'} to ${url} but it went to ${request.url}`);
    }
    return request;
  }

  /** Requests sent but not yet taken with next(). */
  get unread(): number {
    return this.queue.length;
  }
}

function lookup(headers: Record<string, string>, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return null;
}

function bodySize(body: HttpRequest['body']): number {
  if (body == null) return 0;
  return body instanceof Blob ? body.size : body.byteLength;
}

/** Standard answers of a tus 1.0 server, to keep transcripts short. */
export const tusAnswers = {
  options(extensions = 'creation,creation-with-upload,termination', extra: Record<string, string> = {}) {
    return { 'Tus-Version': '1.0.0', 'Tus-Extension': extensions, ...extra };
  },
  created(location: string, extra: Record<string, string> = {}) {
    return { 'Tus-Resumable': '1.0.0', Location: location, ...extra };
  },
  offset(offset: number, extra: Record<string, string> = {}) {
    return { 'Tus-Resumable': '1.0.0', 'Upload-Offset': String(offset), ...extra };
  },
};
