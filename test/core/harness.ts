import { createHash } from 'node:crypto';
import { createUploader } from '../../src/core/createUploader.js';
// The part pipeline and the sessions are lazy chunks (loadAttempt.ts, tus.ts, s3Multipart.ts,
// resumablePut.ts): loaded here, as the preload when a file is added has loaded them on a page by the
// time they are needed, so tests counting event-loop turns after start() see no module transform.
import '../../src/core/Attempt.js';
import '../../src/protocols/tus/TusSession.js';
import '../../src/protocols/s3/sessions.js';
import '../../src/protocols/resumablePut/ResumablePutSession.js';
import { memoryUrlStorage } from '../../src/core/resumeStorage.js';
import type { FileSnapshot, Uploader, UploaderOptions } from '../../src/core/types.js';
import { createFakeClock, type FakeClock } from '../support/fakeClock.js';
import { createFakeProtocol, type FakeProtocol, type FakeProtocolOptions } from '../support/fakeProtocol.js';

export const KiB = 1024;
export const MiB = 1024 * KiB;

export interface Harness {
  uploader: Uploader;
  protocol: FakeProtocol;
  clock: FakeClock;
  file(id?: string): FileSnapshot;
}

const live: Uploader[] = [];

/**
 * An uploader on a fake clock and fake protocol. Every uploader made here is destroyed after the
 * test, and the test fails if any pooled buffer is still leased then.
 */
export function setup(options: Partial<UploaderOptions> = {}, protocolOptions: FakeProtocolOptions = {}): Harness {
  const clock = createFakeClock(1_000_000);
  const protocol = createFakeProtocol({ clock, ...protocolOptions });
  const uploader = track(createUploader({ protocol, clock, resume: memoryUrlStorage(), random: () => 0.5, ...options }));
  return {
    uploader,
    protocol,
    clock,
    file(id) {
      const files = uploader.getSnapshot().files;
      const found = id === undefined ? files[0] : files.find((f) => f.id === id);
      if (!found) throw new Error(`no file ${id ?? '#0'} in the snapshot`);
      return found;
    },
  };
}

/** Destroy `uploader` after the test, and fail the test if it still has a pooled buffer leased then. */
export function track(uploader: Uploader): Uploader {
  live.push(uploader);
  return uploader;
}

afterEach(async () => {
  const uploaders = live.splice(0);
  for (const uploader of uploaders) uploader.destroy();
  await settle();
  for (const uploader of uploaders) expect(uploader.getSnapshot().memory.leasedBuffers).toBe(0);
});

/** Let promises, Blob reads and SubtleCrypto (which completes on Node's thread pool) run. */
export async function settle(turns = 40): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Run the event loop until `check` holds (no clock time passes); fails after many turns. */
export async function until(check: () => boolean, what = 'condition'): Promise<void> {
  // Turns, and real time as well: SubtleCrypto and Blob reads finish on Node's thread pool, which a
  // loaded machine (CI's 2 cores busy with Chromium) can leave behind 5,000 turns of the loop.
  const started = Date.now();
  for (let i = 0; i < 5000 || Date.now() - started < 20_000; i++) {
    if (check()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Deterministic bytes: a file whose content is checked byte for byte after upload. */
export function bytes(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function makeFile(name: string, size: number, options: { type?: string; seed?: number; lastModified?: number } = {}): File {
  return new File([bytes(size, options.seed)], name, { type: options.type ?? 'application/octet-stream', lastModified: options.lastModified ?? 1_700_000_000_000 });
}

export const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** The stored bytes of the only (or named) upload on the fake server. */
export function storedBytes(protocol: FakeProtocol, name?: string): Uint8Array {
  const upload = [...protocol.uploads.values()].find((u) => name === undefined || u.name === name);
  if (!upload) throw new Error(`no server upload for ${name ?? 'any file'}`);
  return upload.bytes;
}

export const statusOf = (uploader: Uploader, id: string): string | undefined =>
  uploader.getSnapshot().files.find((f) => f.id === id)?.status;
