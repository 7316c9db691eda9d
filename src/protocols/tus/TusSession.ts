import type {
  ByteRange,
  HeaderRecord,
  HttpRequest,
  HttpResponse,
  HttpStack,
  OpenRequest,
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
import { toBase64 } from '../../core/base64.js';
import { encodeMetadata } from './encodeMetadata.js';

export interface TusSessionConfig {
  http: HttpStack;
  /** The creation endpoint; relative Location headers resolve against it. */
  endpoint: string;
  server: TusServerInfo;
  /** Send a whole file's bytes in the creating POST. */
  creationWithUpload: boolean;
  file: UploadFileInfo;
  /** The uploader's checksum option: whether the engine will hash parts (see the constructor). */
  checksum?: OpenRequest['checksum'];
}

/**
 * Above this, a whole-file part is not sent in the creating POST: the upload URL (the resume point)
 * only comes with the POST's answer, so a long first request would leave nothing to resume.
 */
const CREATE_WITH_BYTES_MAX = 8 * 1024 * 1024;

/** What a request is sent with: the caller's headers and signal. */
type Base = Pick<HttpRequest, 'method' | 'url' | 'headers' | 'signal'>;

interface Exchange {
  request: HttpRequest;
  response: HttpResponse;
}

/**
 * Answers to HEAD that mean "this upload is not there any more: start again" (and to DELETE, "already
 * gone"). Not 403: like a 401 it refuses the credentials, which the engine answers by asking headers()
 * for fresh ones.
 */
const GONE = [404, 410];

/** One tus upload. Creation is deferred to the first part so a small file costs one request. */
export class TusSession implements ProtocolSession {
  readonly capabilities: SessionCapabilities;
  readonly #config: TusSessionConfig;
  #url: string | undefined;
  #expiresAt: number | undefined;
  #offset = 0;
  /** No part is hashed ('auto' hashes what the server verifies): the whole file is asked for as one part. */
  readonly #unhashed: boolean;

  constructor(config: TusSessionConfig) {
    const { server } = config;
    this.#config = config;
    const checksum = checksumOf(server);
    this.#unhashed = config.checksum === false || ((config.checksum ?? 'auto') === 'auto' && checksum === null);
    this.capabilities = {
      checksum,
      maxParallelParts: 1,
      // Unhashed, one request for the whole file is fastest: the server's cost per PATCH is high, and
      // Chromium sends a File faster than slices of it (measured, 1 GiB on loopback: 7 growing
      // PATCHes 0.78x Uppy's single PATCH; the whole File 1.14x). The uploader's maxPartSize and body
      // limits (413) still cap it: the engine never cuts parts above them.
      layout: { kind: 'free', maxPartSize: server.maxSize, ...(this.#unhashed && { minPartSize: config.file.size }) },
    };
  }

  get uploaded(): readonly ByteRange[] {
    return this.#offset > 0 ? [{ start: 0, end: this.#offset }] : [];
  }

  /** Picks up an upload started earlier; forgets it when the server no longer has it (or it is another file's). */
  resumeFrom(record: ResumeRecord, headers: HeaderRecord, signal: AbortSignal): Promise<void> {
    this.#url = record.url;
    this.#expiresAt = record.expiresAt;
    return this.sync(headers, signal);
  }

  resumeRecord(): { url: string; expiresAt?: number } | undefined {
    const url = this.#url;
    if (url === undefined) return undefined;
    return this.#expiresAt === undefined ? { url } : { url, expiresAt: this.#expiresAt };
  }

  sendPart(part: PartRequest): Promise<PartResult> {
    return this.#url === undefined ? this.#create(part) : this.#patch(this.#url, part);
  }

  async sync(headers: HeaderRecord, signal: AbortSignal): Promise<void> {
    if (this.#url === undefined) return;
    const { size } = this.#config.file;
    const exchange = await this.#send({ method: 'HEAD', url: this.#url, headers, signal }, {}, undefined, GONE);
    const length = exchange.response.header('Upload-Length');
    // A resume record found by name, size and date could point at another file's upload.
    if (GONE.includes(exchange.response.status) || (length !== null && Number(length) !== size)) return this.#forget();
    this.#offset = offsetOf(exchange, 0, size);
  }

  async complete(headers: HeaderRecord, signal: AbortSignal): Promise<void> {
    // Nothing to finish in tus, except an empty file that no part ever created.
    if (this.#url !== undefined || this.#config.file.size > 0) return;
    await this.#create({ start: 0, end: 0, last: true, body: new Blob([]), headers, signal, onUploadProgress() {} });
  }

  async terminate(headers: HeaderRecord, signal?: AbortSignal): Promise<void> {
    if (this.#url === undefined) return;
    await this.#send({ method: 'DELETE', url: this.#url, headers, signal }, {}, undefined, GONE);
    this.#forget();
  }

  async #create(part: PartRequest): Promise<PartResult> {
    const { file, endpoint, creationWithUpload } = this.#config;
    const withBody = creationWithUpload && part.start === 0 && part.last && (!this.#unhashed || file.size <= CREATE_WITH_BYTES_MAX);
    const own = {
      'Upload-Length': String(file.size),
      'Upload-Metadata': encodeMetadata({ filename: file.name, filetype: file.type, ...file.metadata }),
    };
    // No progress event comes for a POST without bytes (none sent, or an empty file's empty body):
    // the engine must still limit the wait for its answer.
    if (!withBody || part.end === part.start) part.onAwaitingAnswer?.();
    // Not stopped by a pause or cancel: the server makes the upload anyway, and we must learn where.
    const signal = part.creationSignal ?? part.signal;
    const exchange = await this.#send({ method: 'POST', url: endpoint, headers: part.headers, signal }, own, withBody ? part : undefined);
    const location = exchange.response.header('Location');
    if (!location) throw error('protocol', 'tus: the server created an upload without a Location', exchange);
    this.#url = resolveUrl(location, endpoint);
    this.#offset = 0;
    part.onResumePoint?.();
    // A server that ignored the body (no creation-with-upload after all) says no Upload-Offset.
    if (withBody && exchange.response.header('Upload-Offset') !== null) return this.#acknowledge(exchange, part);
    return part.end === part.start ? { acknowledged: 0 } : this.#patch(this.#url, part);
  }

  async #patch(url: string, part: PartRequest): Promise<PartResult> {
    const base = { method: 'PATCH', url, headers: part.headers, signal: part.signal };
    return this.#acknowledge(await this.#send(base, { 'Upload-Offset': String(part.start) }, part), part);
  }

  #acknowledge(exchange: Exchange, part: PartRequest): PartResult {
    this.#offset = offsetOf(exchange, part.start, part.end);
    return { acknowledged: this.#offset - part.start };
  }

  /**
   * One tus request: the caller's headers, then ours, which win; with `part`, its bytes as they are
   * (a Blob slice stays lazy). A status outside 2xx and `accepted` is an error.
   */
  async #send(base: Base, own: HeaderRecord, part?: PartRequest, accepted: readonly number[] = []): Promise<Exchange> {
    const tus: HeaderRecord = { 'Tus-Resumable': '1.0.0', ...own };
    if (part) {
      tus['Content-Type'] = 'application/offset+octet-stream';
      const checksum = part.checksum ?? (part.sha256 ? { algorithm: 'sha-256' as const, value: part.sha256 } : undefined);
      if (checksum) tus['Upload-Checksum'] = `${checksum.algorithm === 'sha-256' ? 'sha256' : checksum.algorithm} ${toBase64(checksum.value)}`;
    }
    const request: HttpRequest = { ...base, headers: mergeHeaders(base.headers, tus) };
    if (part) {
      request.body = part.body;
      request.onUploadProgress = (loaded) => part.onUploadProgress(loaded);
    }
    const response = await sendRequest(this.#config.http, request);
    const exchange = { request, response };
    const { status } = response;
    if ((status < 200 || status > 299) && !accepted.includes(status)) {
      throw error(status === 460 ? 'checksum-mismatch' : 'http-status', `tus: ${base.method} failed`, exchange);
    }
    const expires = Date.parse(response.header('Upload-Expires') ?? '');
    if (!Number.isNaN(expires)) this.#expiresAt = expires;
    return exchange;
  }

  #forget(): void {
    this.#url = this.#expiresAt = undefined;
    this.#offset = 0;
  }
}

function error(code: 'protocol' | 'http-status' | 'checksum-mismatch', message: string, { request, response }: Exchange): UploadError {
  return UploadError.fromResponse(code, message, request, response);
}

/** Upload-Offset of a response, which must lie within [min, max]. */
function offsetOf(exchange: Exchange, min: number, max: number): number {
  const value = exchange.response.header('Upload-Offset');
  const offset = value !== null && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(offset) || offset < min || offset > max) {
    throw error('protocol', `tus: expected Upload-Offset in [${min}, ${max}], got ${value}`, exchange);
  }
  return offset;
}

/**
 * The digest to verify with: crc32 when the server offers it (in Chromium ~0.55 s of CPU per GiB in the
 * hash worker against ~1.1 s for SHA-256 through SubtleCrypto, which also copies its input:
 * test/bench/probeChecksums.mjs), else sha256, else none.
 */
function checksumOf(server: TusServerInfo): SessionCapabilities['checksum'] {
  if (!server.extensions.has('checksum')) return null;
  if (server.checksumAlgorithms.has('crc32')) return 'crc32';
  return server.checksumAlgorithms.has('sha256') ? 'sha-256' : null;
}
