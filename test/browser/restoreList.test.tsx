import { render } from '@testing-library/react';
import { commands } from 'vitest/browser';
import { indexedDbHandleStore } from '../../src/core/handleStore.js';
import { localUrlStorage, resumeKey, s3Multipart, tus, XhrHttpStack } from '../../src/index.js';
import type { FileSnapshot, HttpRequest, HttpResponse, HttpStack, Uploader as UploaderEngine } from '../../src/index.js';
import { UploadWidget } from '../../src/react.js';
import { MiB, expectStoredExactly, randomFile, settled, sha256Hex, testScope, uploaderTracker, waitForSnapshot } from './tusHarness.js';

const uploaders = uploaderTracker();
afterEach(() => uploaders.checkAndDestroyAll());

const SIZE = 6 * MiB;
const oneMiBParts = { partSize: MiB, maxPartSize: MiB, memoryBudget: 4 * MiB };

/**
 * Real requests, except that PATCHes after the first `parts` never leave: they wait until aborted.
 * On loopback a 6 MiB file finishes in milliseconds; this stops it at exactly `parts` MiB, as a reload
 * mid-upload would, without racing the upload.
 */
class GatedHttp implements HttpStack {
  readonly #inner = new XhrHttpStack();
  #patches = 0;
  /** `method`: what carries a part's bytes (tus: PATCH; S3: PUT). */
  constructor(
    readonly parts: number,
    readonly method = 'PATCH',
  ) {}
  send(request: HttpRequest): Promise<HttpResponse> {
    if (request.method !== this.method || ++this.#patches <= this.parts) return this.#inner.send(request);
    return new Promise((_, reject) => request.signal?.addEventListener('abort', () => reject(request.signal?.reason), { once: true }));
  }
}

/** The first page: upload until the server holds 2 MiB, then the page goes away (destroy, as on a reload). */
async function interrupt(uploader: UploaderEngine, id: string): Promise<void> {
  await waitForSnapshot(uploader, (s) => s.files.find((f) => f.id === id)?.bytesAcknowledged === 2 * MiB);
  uploader.destroy();
}

const gated = () => tus({ endpoint: '/files', http: new GatedHttp(2) });

/** What the tus server holds of an upload, asked directly (HEAD), to compare with the restored entry. */
async function serverOffset(url: string): Promise<number> {
  const answer = await fetch(url, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } });
  return Number(answer.headers.get('Upload-Offset'));
}

const named = (uploader: UploaderEngine, name: string): FileSnapshot | undefined => uploader.getSnapshot().files.find((f) => f.name === name);

describe('the list after a reload, in Chromium against a real @tus/server', () => {
  test('a new uploader lists the unfinished upload from localStorage with the server offset; choosing the file again resumes it', async () => {
    const name = `reload ${testScope()}.bin`;
    const source = randomFile(SIZE, name);
    const first = uploaders.create({ protocol: gated(), ...oneMiBParts, resume: localUrlStorage()! });
    const [id = ''] = first.add([source]).accepted;
    await interrupt(first, id);

    const second = uploaders.create({ protocol: tus({ endpoint: '/files' }), ...oneMiBParts, resume: localUrlStorage()! });
    const view = render(<UploadWidget uploader={second} />);
    // The widget restores once mounted.
    const entry = await vi.waitFor(() => {
      const found = named(second, name);
      if (!found) throw new Error('not restored yet');
      return found;
    });
    expect(entry).toMatchObject({ status: 'paused', restored: 'choose-file', file: null, size: SIZE });
    expect(entry.bytesAcknowledged).toBe(2 * MiB);
    expect(entry.bytesAcknowledged).toBe(await serverOffset(entry.url!));
    await vi.waitFor(() => expect(view.container.textContent).toContain('choose the file again to continue'));

    const [again = ''] = second.add([new File([source], name, { type: source.type, lastModified: source.lastModified })]).accepted;
    expect(again).toBe(entry.id);
    const done = await settled(second, again);
    expect(done.resumed).toBe(true);
    expect(done.url).toBe(entry.url);
    await expectStoredExactly('/files', done, source);
    view.unmount();
  });

  test('discarding a restored entry deletes the upload on the server and its record', async () => {
    const name = `discard ${testScope()}.bin`;
    const source = randomFile(SIZE, name);
    const first = uploaders.create({ protocol: gated(), ...oneMiBParts, resume: localUrlStorage()! });
    const [id = ''] = first.add([source]).accepted;
    await interrupt(first, id);
    const second = uploaders.create({ protocol: tus({ endpoint: '/files' }), ...oneMiBParts, resume: localUrlStorage()! });
    await second.restore();
    const entry = named(second, name)!;
    await second.cancel(entry.id);
    expect(named(second, name)).toBeUndefined();
    expect((await fetch(entry.url!, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } })).status).toBeGreaterThanOrEqual(404);
    expect(localStorage.getItem(resumeKey(tus({ endpoint: '/files' }).endpoint, source))).toBeNull();
  });

  test('a file from a File System Access handle (OPFS) resumes after a reload with one call, its handle kept in IndexedDB', async () => {
    const name = `handle-${testScope()}.bin`;
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle(name, { create: true });
    const writable = await handle.createWritable();
    await writable.write(randomFile(SIZE, name));
    await writable.close();
    try {
      const source = await handle.getFile();
      const key = resumeKey(tus({ endpoint: '/files' }).endpoint, source);
      const first = uploaders.create({ protocol: gated(), ...oneMiBParts, resume: localUrlStorage()! });
      const { accepted } = await first.addHandles([handle]);
      await interrupt(first, accepted[0]!);
      // Only the handle is in IndexedDB: reading it back gives the same file on disk.
      const kept = await indexedDbHandleStore()!.get(key);
      expect(await kept?.getFile().then((file) => file.size)).toBe(SIZE);

      const second = uploaders.create({ protocol: tus({ endpoint: '/files' }), ...oneMiBParts, resume: localUrlStorage()! });
      await second.restore();
      const entry = named(second, name)!;
      expect(entry).toMatchObject({ restored: 'reopen', file: null });
      expect(entry.bytesAcknowledged).toBe(await serverOffset(entry.url!));
      second.resume(entry.id);
      const done = await settled(second, entry.id);
      expect(done.resumed).toBe(true);
      await expectStoredExactly('/files', done, source);
      // Finished: nothing left to resume, so the handle is dropped.
      await vi.waitFor(async () => expect(await indexedDbHandleStore()!.get(key)).toBeUndefined());
    } finally {
      await root.removeEntry(name);
    }
  });

  test('S3 multipart: the restored entry holds the bytes ListParts reports; choosing the file again finishes it', async () => {
    const name = `s3 reload ${testScope()}.bin`;
    const source = randomFile(12 * MiB, name);
    const s3 = (http?: HttpStack) => s3Multipart({ endpoint: '/s3', partSize: 5 * MiB, maxParallelParts: 1, ...(http && { http }) });
    const options = { memoryBudget: 16 * MiB, resume: localUrlStorage()! };
    const first = uploaders.create({ protocol: s3(new GatedHttp(1, 'PUT')), ...options });
    const [id = ''] = first.add([source]).accepted;
    await waitForSnapshot(first, (s) => s.files.find((f) => f.id === id)?.bytesAcknowledged === 5 * MiB);
    first.destroy();

    const second = uploaders.create({ protocol: s3(), ...options });
    await second.restore();
    const entry = named(second, name)!;
    expect(entry).toMatchObject({ restored: 'choose-file', bytesAcknowledged: 5 * MiB, size: 12 * MiB });
    const [again = ''] = second.add([new File([source], name, { type: source.type, lastModified: source.lastModified })]).accepted;
    const done = await settled(second, again);
    expect(done).toMatchObject({ status: 'completed', resumed: true });
    expect(await commands.s3ObjectSha256(done.result!.key!)).toBe(await sha256Hex(source));
  });
});
