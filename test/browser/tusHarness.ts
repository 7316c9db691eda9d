import { commands } from 'vitest/browser';
import { createUploader, memoryUrlStorage } from '../../src/index.js';
import type { FileSnapshot, HttpRequest, HttpResponse, HttpStack, Uploader, UploaderOptions, UploadSnapshot } from '../../src/index.js';
import { XhrHttpStack } from '../../src/protocols/index.js';

export const MiB = 1024 * 1024;

/** Random bytes made in 64 KiB pieces (getRandomValues' limit), assembled without one big copy. */
export function randomFile(size: number, name = 'random.bin', type = 'application/octet-stream', lastModified = 1_700_000_000_000): File {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let made = 0; made < size; made += 65536) {
    const piece = new Uint8Array(Math.min(65536, size - made));
    crypto.getRandomValues(piece);
    parts.push(piece);
  }
  return new File(parts, name, { type, lastModified });
}

export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The upload id is the last path segment of its URL. */
export function uploadId(url: string | null): string {
  if (url === null) throw new Error('the file has no upload URL yet');
  const id = new URL(url, location.href).pathname.split('/').pop();
  if (!id) throw new Error(`no upload id in ${url}`);
  return id;
}

/** A tag for this test's requests, so server-side faults and logs never mix with another file's. */
export function testScope(): string {
  return `t-${crypto.randomUUID()}`;
}

/** One request as the browser sent it and the server answered. */
export interface SentRequest {
  method: string;
  url: string;
  bodySize: number;
  headers: Record<string, string>;
  status: number | null;
  /** Why the engine aborted the request (the abort reason's UploadError code), if it did. */
  abortedAs?: string;
}

/** XhrHttpStack that records what it sent, optionally changing requests on the way out. */
export class RecordingHttp implements HttpStack {
  readonly sent: SentRequest[] = [];
  private readonly inner = new XhrHttpStack();

  constructor(private readonly rewrite: (request: HttpRequest) => HttpRequest = (r) => r) {}

  async send(original: HttpRequest): Promise<HttpResponse> {
    const request = this.rewrite(original);
    const body = request.body;
    const entry: SentRequest = {
      method: request.method,
      url: request.url,
      bodySize: body == null ? 0 : body instanceof Blob ? body.size : body.byteLength,
      headers: { ...request.headers },
      status: null,
    };
    this.sent.push(entry);
    const { signal } = request;
    signal?.addEventListener('abort', () => (entry.abortedAs = (signal.reason as { code?: string } | undefined)?.code ?? 'unknown'), { once: true });
    const response = await this.inner.send(request);
    entry.status = response.status;
    return response;
  }
}

/**
 * Lets the first `pass` requests that `held` matches through, then holds the rest (unsent) until their
 * signal aborts: an upload stopped mid-way at a fixed point, however fast the machine. Without it a
 * test that waits for some progress and then cancels races an upload that may already have finished.
 */
export class HoldingHttp extends RecordingHttp {
  #passed = 0;

  constructor(
    private readonly pass: number,
    private readonly held: (request: HttpRequest) => boolean,
  ) {
    super();
  }

  #released = false;

  /** From now on every request goes through (the ones held already stay held until they abort). */
  release(): void {
    this.#released = true;
  }

  override async send(request: HttpRequest): Promise<HttpResponse> {
    if (!this.#released && this.held(request) && this.#passed++ >= this.pass) {
      await new Promise<never>((_, reject) => {
        const { signal } = request;
        if (signal?.aborted) return reject(signal.reason);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    return super.send(request);
  }
}

/**
 * Uploaders created through here are checked after each test: no buffer still leased or leaked, and
 * neither the bytes in flight nor the pool's bytes ever passed the budget. Then they are destroyed.
 */
export function uploaderTracker() {
  const live: Uploader[] = [];
  return {
    create(options: UploaderOptions): Uploader {
      const uploader = createUploader({ resume: memoryUrlStorage(), ...options });
      live.push(uploader);
      return uploader;
    },
    checkAndDestroyAll(): void {
      const uploaders = live.splice(0);
      try {
        for (const uploader of uploaders) {
          const { memory } = uploader.getSnapshot();
          expect(memory.leasedBuffers).toBe(0);
          expect(memory.leaksDetected).toBe(0);
          // The budget in bytes is the bound: leases are sized (powers of two), so a count of
          // buffers made says nothing about it, and idle buffers freed after a pause are made again.
          expect(memory.peakInFlightBytes).toBeLessThanOrEqual(memory.budgetBytes);
          expect(memory.pooledBytes).toBeLessThanOrEqual(memory.budgetBytes);
        }
      } finally {
        for (const uploader of uploaders) uploader.destroy();
      }
    },
  };
}

/** Resolves with the first snapshot that satisfies `accept` (checked now and on every change). */
export function waitForSnapshot(uploader: Uploader, accept: (snapshot: UploadSnapshot) => boolean): Promise<UploadSnapshot> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const snapshot = uploader.getSnapshot();
      if (!accept(snapshot)) return false;
      unsubscribe();
      resolve(snapshot);
      return true;
    };
    const unsubscribe = uploader.subscribe(() => void check());
    check();
  });
}

/** The file's snapshot once it reached a settled status. */
export async function settled(uploader: Uploader, id: string): Promise<FileSnapshot> {
  const done = new Set(['completed', 'failed', 'canceled', 'rejected']);
  const snapshot = await waitForSnapshot(uploader, (s) => done.has(fileOf(s, id).status));
  return fileOf(snapshot, id);
}

export function fileOf(snapshot: UploadSnapshot, id: string): FileSnapshot {
  const file = snapshot.files.find((f) => f.id === id);
  if (!file) throw new Error(`no file ${id} in the snapshot`);
  return file;
}

/** Upload finished byte for byte: the server's SHA-256 of the stored file equals the source's. */
export async function expectStoredExactly(route: string, file: FileSnapshot, source: Blob): Promise<void> {
  expect(file.status).toBe('completed');
  const id = uploadId(file.url);
  expect(await commands.storedSize(route, id)).toBe(source.size);
  expect(await commands.storedSha256(route, id)).toBe(await sha256Hex(source));
}
