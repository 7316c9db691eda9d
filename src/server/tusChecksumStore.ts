import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { truncate } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { DataStore, type Upload } from '@tus/server';
import { CRC32_POLY, crc32Update } from '../core/checksums/crc32.js';

/** Algorithms of the tus checksum extension this store verifies. */
export type TusChecksumAlgorithm = 'sha1' | 'sha256' | 'crc32';

export interface TusChecksumOptions {
  /**
   * Advertised in Tus-Checksum-Algorithm. Default all three: sha1 (the extension requires it), sha256,
   * and crc32, which lean-upload's browser client prefers (half the CPU of SHA-256 per GiB in Chromium).
   */
  algorithms?: readonly TusChecksumAlgorithm[];
  /**
   * Largest request body verified, in bytes (default 64 MiB), where the wrapped store cannot take bytes
   * back (anything but a FileStore): the body is held until its digest is known, and a larger checksummed
   * body is refused with 413. A FileStore streams every body to disk as it arrives and is cut back on a
   * mismatch; bodies without Upload-Checksum always stream. lean-upload sends parts of its partSize.
   */
  maxVerifiedBodySize?: number;
}

/** The subset of @tus/server's Server this needs: both entry points. */
export interface TusServerLike {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  handleWeb(req: Request): Promise<Response>;
}

/** tus checksum extension: the status for a body whose digest differs from Upload-Checksum. */
const MISMATCH = { status_code: 460, body: 'Checksum Mismatch\n' };
const ALL: readonly TusChecksumAlgorithm[] = ['sha1', 'sha256', 'crc32'];

/**
 * A @tus/server DataStore wrapper that implements the tus checksum extension for any store (FileStore,
 * S3Store...): a PATCH (or creation-with-upload POST) with `Upload-Checksum: <algorithm> <base64>` is
 * hashed as it arrives and handed to the wrapped store only when its digest matches. On a mismatch (or
 * a body cut short) the answer is 460 and nothing of the body is kept, so the upload's offset stays where
 * the request started. @tus/server hands the store no request, so requests go through `handle` /
 * `handleWeb`, which also advertise the algorithms on OPTIONS. Create the Server with `serverOptions`
 * (CORS for the two headers):
 *
 *   const store = new TusChecksumStore(new FileStore({ directory: './uploads' }));
 *   const tus = new Server({ path: '/files', datastore: store, ...store.serverOptions });
 *   http.createServer((req, res) => store.handle(tus, req, res));     // or: (request) => store.handleWeb(tus, request)
 */
export class TusChecksumStore<Inner extends DataStore = DataStore> extends DataStore {
  readonly inner: Inner;
  readonly algorithms: readonly TusChecksumAlgorithm[];
  readonly serverOptions = { allowedHeaders: ['Upload-Checksum'], exposedHeaders: ['Tus-Checksum-Algorithm'] };
  readonly #maxBody: number;
  readonly #request = new AsyncLocalStorage<{ method: string; uploadChecksum: string | null }>();

  constructor(inner: Inner, options: TusChecksumOptions = {}) {
    super();
    this.inner = inner;
    this.algorithms = options.algorithms?.length ? [...options.algorithms] : ALL;
    this.#maxBody = options.maxVerifiedBodySize ?? 64 * 1024 * 1024;
    this.extensions = [...inner.extensions.filter((name) => name !== 'checksum'), 'checksum'];
    // GET (download) is served only by stores with read(): have it exactly when the wrapped store does.
    const read = (inner as { read?: (id: string) => Promise<unknown> }).read;
    if (read) Object.assign(this, { read: (id: string) => read.call(inner, id) });
  }

  /** Serve a Node request through `server` (whose datastore is this store). */
  handle(server: TusServerLike, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    // @tus/server has no hook for extra OPTIONS headers; Node merges this one into its writeHead.
    if (method === 'OPTIONS') res.setHeader('Tus-Checksum-Algorithm', this.algorithms.join(','));
    const header = req.headers['upload-checksum'];
    const uploadChecksum = typeof header === 'string' ? header : null;
    return this.#request.run({ method, uploadChecksum }, () => server.handle(req, res));
  }

  /** Serve a Fetch API request (Next.js route handlers, Bun, Deno...) through `server`. */
  async handleWeb(server: TusServerLike, request: Request): Promise<Response> {
    const method = request.method.toUpperCase();
    const context = { method, uploadChecksum: request.headers.get('upload-checksum') };
    const response = await this.#request.run(context, () => server.handleWeb(request));
    if (method !== 'OPTIONS') return response;
    const headers = new Headers(response.headers);
    headers.set('Tus-Checksum-Algorithm', this.algorithms.join(','));
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }

  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    const context = this.#request.getStore();
    const header = context?.uploadChecksum ?? null;
    if (header === null) return this.inner.write(stream, id, offset);
    const { algorithm, expected } = this.#parse(header);
    const digest = digester(algorithm);
    const file = fileOf(this.inner, id);
    if (file) return this.#writeThrough(file, stream, id, offset, digest, expected);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      // Drained to the end all the same: leaving the loop early destroys the stream, and @tus/server then
      // answers 400 "aborted" instead of our status.
      if (size > this.#maxBody) continue;
      digest.update(bytes);
      chunks.push(bytes);
    }
    if (size > this.#maxBody) throw { status_code: 413, body: `Checksummed body over ${this.#maxBody} bytes\n` };
    if (digest.base64() !== expected) return this.#refuse(id);
    return this.inner.write(Readable.from(chunks), id, offset);
  }

  /**
   * A FileStore's upload is a file whose size is its offset: stream the body to it while hashing (no
   * copy held, disk and network overlap), and cut it back to `offset` when the digest differs or the
   * body broke off (bytes that cannot be verified are not kept).
   */
  async #writeThrough(file: string, stream: Readable, id: string, offset: number, digest: Digester, expected: string): Promise<number> {
    let end: number;
    try {
      end = await this.inner.write(Readable.from(hashed(stream, digest)), id, offset);
    } catch (error) {
      await truncate(file, offset).catch(() => undefined);
      throw error;
    }
    if (digest.base64() === expected) return end;
    await truncate(file, offset);
    return this.#refuse(id);
  }

  async #refuse(id: string): Promise<never> {
    // A creating POST whose body failed leaves an upload nobody has the URL of.
    if (this.#request.getStore()?.method === 'POST') await this.inner.remove(id).catch(() => undefined);
    throw MISMATCH;
  }

  /** `<algorithm> <base64>`: anything else, or an algorithm not offered, is a 400, as the extension requires. */
  #parse(header: string): { algorithm: TusChecksumAlgorithm; expected: string } {
    const match = /^\s*([A-Za-z0-9-]+)\s+([A-Za-z0-9+/=]+)\s*$/.exec(header);
    if (!match) throw { status_code: 400, body: 'Invalid Upload-Checksum\n' };
    const algorithm = match[1]?.toLowerCase() as TusChecksumAlgorithm;
    if (!this.algorithms.includes(algorithm)) throw { status_code: 400, body: 'Unsupported checksum algorithm\n' };
    return { algorithm, expected: match[2] ?? '' };
  }

  // Everything else is the wrapped store's.
  override create(upload: Upload): Promise<Upload> {
    return this.inner.create(upload);
  }
  override remove(id: string): Promise<void> {
    return this.inner.remove(id);
  }
  override getUpload(id: string): Promise<Upload> {
    return this.inner.getUpload(id);
  }
  override declareUploadLength(id: string, length: number): Promise<void> {
    return this.inner.declareUploadLength(id, length);
  }
  override deleteExpired(): Promise<number> {
    return this.inner.deleteExpired();
  }
  override getExpiration(): number {
    return this.inner.getExpiration();
  }
}

/** The data file of upload `id` when `store` is a @tus/file-store FileStore (`${directory}/${id}`), else null. */
function fileOf(store: DataStore, id: string): string | null {
  const directory = (store as { directory?: unknown }).directory;
  if (typeof directory !== 'string' || typeof (store as { configstore?: unknown }).configstore !== 'object') return null;
  const file = path.resolve(directory, id);
  // Never anything but a file directly inside the store's folder (an id like '..').
  return path.dirname(file) === path.resolve(directory) ? file : null;
}

async function* hashed(source: Readable, digest: Digester): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    const bytes = chunk as Buffer;
    digest.update(bytes);
    yield bytes;
  }
}

interface Digester {
  update(bytes: Buffer): void;
  base64(): string;
}

function digester(algorithm: TusChecksumAlgorithm): Digester {
  if (algorithm !== 'crc32') {
    const hash = createHash(algorithm);
    return { update: (bytes) => hash.update(bytes), base64: () => hash.digest('base64') };
  }
  // zlib.crc32 is native from Node 20.15; before, the library's own CRC-32 serves.
  const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  let crc = 0;
  return {
    update: (bytes) => {
      crc = native ? native(bytes, crc) : crc32Update(CRC32_POLY, crc, bytes);
    },
    base64: () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(crc >>> 0);
      return out.toString('base64');
    },
  };
}
