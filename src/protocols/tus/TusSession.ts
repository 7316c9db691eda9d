import type {
  ByteRange,
  HeaderRecord,
  HttpRequest,
  HttpResponse,
  HttpStack,
  PartRequest,
  PartResult,
  ProtocolSession,
  ResumeRecord,
  SessionCapabilities,
  UploadFileInfo,
} from '../../core/ports.js';
import { UploadError } from '../../core/UploadError.js';
import { mergeHeaders, sendRequest } from '../http/sendRequest.js';
import { resolveUrl } from '../http/resolveUrl.js';
import type { TusServerInfo } from './discoverTus.js';
import { bytesToBase64, encodeMetadata } from './encodeMetadata.js';

export interface TusSessionConfig {
  http: HttpStack;
  /** The creation endpoint; relative Location headers resolve against it. */
  endpoint: string;
  server: TusServerInfo;
  /** Send a whole file's bytes in the creating POST. */
  creationWithUpload: boolean;
  file: UploadFileInfo;
}

const TUS_RESUMABLE = { 'Tus-Resumable': '1.0.0' };
const OCTET_STREAM = 'application/offset+octet-stream';
/** Answers to HEAD that mean "this upload is not there any more: start again". */
const GONE = new Set([403, 404, 410]);

/** One tus upload. Creation is deferred to the first part so a small file costs one request. */
export class TusSession implements ProtocolSession {
  readonly capabilities: SessionCapabilities;
  private url: string | undefined;
  private expiresAt: number | undefined;
  private offset = 0;

  constructor(private readonly config: TusSessionConfig) {
    const { server } = config;
    this.capabilities = {
      checksum: server.extensions.has('checksum') && server.checksumAlgorithms.has('sha256') ? 'sha-256' : null,
      maxParallelParts: 1,
      minPartSize: 0,
      maxPartSize: server.maxSize,
    };
  }

  get uploaded(): readonly ByteRange[] {
    return this.offset > 0 ? [{ start: 0, end: this.offset }] : [];
  }

  /** Picks up an upload started earlier. False when the server no longer has it (or it is another file's). */
  async resumeFrom(record: ResumeRecord, headers: HeaderRecord, signal: AbortSignal): Promise<boolean> {
    this.url = record.url;
    this.expiresAt = record.expiresAt;
    await this.sync(headers, signal);
    return this.url !== undefined;
  }

  resumeRecord(): { url: string; expiresAt?: number } | undefined {
    if (this.url === undefined) return undefined;
    return this.expiresAt === undefined ? { url: this.url } : { url: this.url, expiresAt: this.expiresAt };
  }

  sendPart(part: PartRequest): Promise<PartResult> {
    return this.url === undefined ? this.create(part) : this.patch(this.url, part);
  }

  async sync(headers: HeaderRecord, signal: AbortSignal): Promise<void> {
    if (this.url === undefined) return;
    const request = this.request('HEAD', this.url, headers, { signal });
    const response = await sendRequest(this.config.http, request);
    if (GONE.has(response.status)) return this.forget();
    if (!ok(response)) throw UploadError.fromResponse('http-status', 'tus: HEAD failed', request, response);
    if (!this.sameFile(response)) return this.forget();
    this.offset = this.offsetOf(request, response, 0, this.config.file.size);
    this.noteExpiry(response);
  }

  async complete(headers: HeaderRecord, signal: AbortSignal): Promise<void> {
    // Nothing to finish in tus, except an empty file that no part ever created.
    if (this.url !== undefined || this.config.file.size > 0) return;
    const body = new Blob([]);
    await this.create({ start: 0, end: 0, last: true, body, headers, signal, onUploadProgress: () => {} });
  }

  async terminate(headers: HeaderRecord): Promise<void> {
    if (this.url === undefined) return;
    const request = this.request('DELETE', this.url, headers, {});
    const response = await sendRequest(this.config.http, request);
    if (!ok(response) && response.status !== 404 && response.status !== 410) {
      throw UploadError.fromResponse('http-status', 'tus: DELETE failed', request, response);
    }
    this.forget();
  }

  private async create(part: PartRequest): Promise<PartResult> {
    const { file, endpoint, http } = this.config;
    const withBody = this.config.creationWithUpload && part.start === 0 && part.last;
    const own: HeaderRecord = {
      'Upload-Length': String(file.size),
      'Upload-Metadata': encodeMetadata({ filename: file.name, filetype: file.type, ...file.metadata }),
    };
    const request = this.request('POST', endpoint, part.headers, withBody ? this.bodyOf(part, own) : { signal: part.signal, own });
    const response = await sendRequest(http, request);
    if (!ok(response)) throw failure(request, response, 'tus: creating the upload failed');
    const location = response.header('Location');
    if (location === null || location === '') {
      throw UploadError.fromResponse('protocol', 'tus: the server created an upload without a Location', request, response);
    }
    this.url = resolveUrl(location, endpoint);
    this.offset = 0;
    this.noteExpiry(response);
    // A server that ignored the body (no creation-with-upload after all) says no Upload-Offset.
    if (withBody && response.header('Upload-Offset') !== null) {
      this.offset = this.offsetOf(request, response, 0, part.end);
      return { acknowledged: this.offset };
    }
    if (part.end === part.start) return { acknowledged: 0 };
    return this.patch(this.url, part);
  }

  private async patch(url: string, part: PartRequest): Promise<PartResult> {
    const request = this.request('PATCH', url, part.headers, this.bodyOf(part, { 'Upload-Offset': String(part.start) }));
    const response = await sendRequest(this.config.http, request);
    if (!ok(response)) throw failure(request, response, 'tus: PATCH failed');
    this.offset = this.offsetOf(request, response, part.start, part.end);
    this.noteExpiry(response);
    return { acknowledged: this.offset - part.start };
  }

  /** The options of a request that carries the part's bytes, as-is (a Blob slice stays lazy). */
  private bodyOf(part: PartRequest, own: HeaderRecord): RequestOptions {
    const headers: HeaderRecord = { ...own, 'Content-Type': OCTET_STREAM };
    if (part.sha256) headers['Upload-Checksum'] = `sha256 ${bytesToBase64(part.sha256)}`;
    return {
      own: headers,
      body: part.body,
      signal: part.signal,
      onUploadProgress: (loaded) => part.onUploadProgress(loaded),
    };
  }

  private request(method: string, url: string, user: HeaderRecord, options: RequestOptions): HttpRequest {
    const { own = {}, ...rest } = options;
    return { method, url, headers: mergeHeaders(user, { ...TUS_RESUMABLE, ...own }), ...rest };
  }

  /** Upload-Offset of a response, which must lie within [min, max]. */
  private offsetOf(request: HttpRequest, response: HttpResponse, min: number, max: number): number {
    const value = response.header('Upload-Offset');
    const offset = value !== null && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(offset) || offset < min || offset > max) {
      const expected = `expected Upload-Offset in [${min}, ${max}], got ${value === null ? 'none' : JSON.stringify(value)}`;
      throw UploadError.fromResponse('protocol', `tus: ${expected}`, request, response);
    }
    return offset;
  }

  /** A resume record found by name, size and date could point at another file's upload. */
  private sameFile(response: HttpResponse): boolean {
    const length = response.header('Upload-Length');
    return length === null || Number(length) === this.config.file.size;
  }

  private noteExpiry(response: HttpResponse): void {
    const expires = Date.parse(response.header('Upload-Expires') ?? '');
    if (!Number.isNaN(expires)) this.expiresAt = expires;
  }

  private forget(): void {
    this.url = undefined;
    this.expiresAt = undefined;
    this.offset = 0;
  }
}

interface RequestOptions {
  own?: HeaderRecord;
  body?: Blob | Uint8Array;
  signal?: AbortSignal;
  onUploadProgress?: (loaded: number) => void;
}

function ok(response: HttpResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

function failure(request: HttpRequest, response: HttpResponse, message: string): UploadError {
  if (response.status === 460) {
    return UploadError.fromResponse('checksum-mismatch', 'tus: the server computed another checksum', request, response);
  }
  return UploadError.fromResponse('http-status', message, request, response);
}
