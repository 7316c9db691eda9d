import type { ByteRange, HeaderRecord, HttpRequest, HttpResponse, HttpStack, PartRequest, PartResult, ProtocolSession, SessionCapabilities, UploadFileInfo } from '../../core/ports.js';
import { UploadError } from '../../core/UploadError.js';
import { mergeHeaders, sendRequest } from '../http/sendRequest.js';
import { resolveUrl } from '../http/resolveUrl.js';

export interface ResumablePutSessionConfig {
  http: HttpStack;
  endpoint: string;
  file: UploadFileInfo;
  maxPartSize: number;
}

/** 308 Resume Incomplete: the server holds a prefix and waits for more (Range names it). */
const INCOMPLETE = 308;
/** Answers to a status query that mean "this upload is gone: start afresh". */
const GONE = [404, 410];

/**
 * One resumable upload in the scheme of Google Cloud Storage's resumable uploads (and UpChunk-style
 * servers): POST creates a session URL (Location); each part is a PUT of its bytes with
 * `Content-Range: bytes start-end/total`; the server answers 308 with `Range: bytes=0-last` while it
 * waits for more, 200/201 once it holds the whole file; an empty PUT with `Content-Range: bytes *\/total`
 * asks how far it got. Creation is deferred to the first part.
 */
export class ResumablePutSession implements ProtocolSession {
  readonly capabilities: SessionCapabilities;
  readonly #config: ResumablePutSessionConfig;
  #url: string | undefined;
  #offset = 0;
  #done = false;

  constructor(config: ResumablePutSessionConfig, url?: string) {
    this.#config = config;
    this.#url = url;
    this.capabilities = { checksum: null, maxParallelParts: 1, layout: { kind: 'free', maxPartSize: config.maxPartSize } };
  }

  get uploaded(): readonly ByteRange[] {
    return this.#offset > 0 ? [{ start: 0, end: this.#offset }] : [];
  }

  resumeRecord(): { url: string } | undefined {
    return this.#url === undefined ? undefined : { url: this.#url };
  }

  async sendPart(part: PartRequest): Promise<PartResult> {
    if (this.#url === undefined) {
      // No bytes go with the POST: the engine limits the wait for its answer.
      part.onAwaitingAnswer?.();
      this.#url = await this.#create(part.headers, part.signal);
      this.#offset = 0;
      part.onResumePoint?.();
    }
    const { size } = this.#config.file;
    const range = part.end > part.start ? `bytes ${part.start}-${part.end - 1}/${size}` : `bytes */${size}`;
    const request: HttpRequest = {
      method: 'PUT',
      url: this.#url,
      headers: mergeHeaders(part.headers, { 'Content-Range': range }),
      body: part.body,
      signal: part.signal,
      onUploadProgress: (loaded) => part.onUploadProgress(loaded),
    };
    const response = await sendRequest(this.#config.http, request);
    this.#offset = this.#offsetOf(request, response, part.start, part.end);
    return { acknowledged: this.#offset - part.start };
  }

  /** Ask the server how far it got (an empty PUT); a session it no longer knows starts afresh. */
  async sync(headers: HeaderRecord, signal: AbortSignal): Promise<void> {
    if (this.#url === undefined || this.#done) return;
    const request: HttpRequest = { method: 'PUT', url: this.#url, headers: mergeHeaders(headers, { 'Content-Range': `bytes */${this.#config.file.size}` }), signal };
    const response = await sendRequest(this.#config.http, request);
    if (GONE.includes(response.status)) {
      this.#url = undefined;
      this.#offset = 0;
      return;
    }
    this.#offset = this.#offsetOf(request, response, 0, this.#config.file.size);
  }

  /** The last PUT completed the upload; an empty file is created and finished here. */
  async complete(headers: HeaderRecord, signal: AbortSignal): Promise<void> {
    if (this.#done) return;
    if (this.#config.file.size > 0) throw new UploadError('protocol', 'resumable PUT: the server never confirmed the whole file');
    await this.sendPart({ start: 0, end: 0, last: true, body: new Blob([]), headers, signal, onUploadProgress() {} });
  }

  async terminate(headers: HeaderRecord, signal?: AbortSignal): Promise<void> {
    if (this.#url === undefined) return;
    const request: HttpRequest = { method: 'DELETE', url: this.#url, headers, signal };
    const response = await sendRequest(this.#config.http, request);
    // GCS answers a cancelled session with 499; gone already is as good.
    if (!ok(response.status) && ![...GONE, 499].includes(response.status)) {
      throw UploadError.fromResponse('http-status', 'resumable PUT: DELETE failed', request, response);
    }
    this.#url = undefined;
  }

  async #create(headers: HeaderRecord, signal: AbortSignal): Promise<string> {
    const { endpoint, file } = this.#config;
    const own = {
      'Content-Type': 'application/json; charset=UTF-8',
      'X-Upload-Content-Length': String(file.size),
      'X-Upload-Content-Type': file.type || 'application/octet-stream',
    };
    const request: HttpRequest = { method: 'POST', url: endpoint, headers: mergeHeaders(headers, own), body: new Blob([JSON.stringify({ name: file.name, metadata: file.metadata })]), signal };
    const response = await sendRequest(this.#config.http, request);
    if (!ok(response.status)) throw UploadError.fromResponse('http-status', 'resumable PUT: creating the upload failed', request, response);
    const location = response.header('Location');
    if (!location) throw UploadError.fromResponse('protocol', 'resumable PUT: the server created an upload without a Location', request, response);
    return resolveUrl(location, endpoint);
  }

  /** The offset the server holds after `request`: 308 with Range (a prefix), or 200/201 (all of it), within [min, max]. */
  #offsetOf(request: HttpRequest, response: HttpResponse, min: number, max: number): number {
    const { status } = response;
    const { size } = this.#config.file;
    if (ok(status)) {
      this.#done = true;
      return size;
    }
    if (status !== INCOMPLETE) {
      throw UploadError.fromResponse('http-status', `resumable PUT: ${request.method} failed`, request, response);
    }
    const range = response.header('Range');
    const match = range === null ? null : /^bytes=0-(\d+)$/.exec(range.trim());
    // No Range: the server holds nothing yet.
    const offset = range === null ? 0 : match ? Number(match[1]) + 1 : NaN;
    if (!Number.isSafeInteger(offset) || offset < min || offset > max || (size > 0 && offset >= size)) {
      throw UploadError.fromResponse('protocol', `resumable PUT: expected Range bytes=0-n with n + 1 in [${min}, ${max}] below ${size}, got ${range}`, request, response);
    }
    return offset;
  }
}

const ok = (status: number): boolean => status >= 200 && status <= 299;
