import type { FileHandleLike, HandleStore } from './handleStore.js';
import { mergeRanges, totalLength } from './PartPlanner.js';
import type { HeaderRecord, Protocol, ProtocolSession, ResumeRecord, UrlStorage } from './ports.js';
import { keyPrefix } from './resumeStorage.js';
import type { FileSnapshot } from './types.js';
import { stripCredentials } from './urls.js';
import { withTimeout, type TimeLimit } from './withTimeout.js';

/** What restoring needs from its uploader. */
export interface RestoreHost extends TimeLimit {
  readonly protocol: Protocol;
  storage(): UrlStorage | null;
  handles(): HandleStore | null;
  requestHeaders(): Promise<HeaderRecord>;
}

/** The facts a resume key holds: the fingerprint is name:size:type:lastModified. */
export interface KeyedFile {
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly lastModified: number;
}

/**
 * An unfinished upload from an earlier page, listed from its resume record with the bytes the server
 * says it holds. It has no File: the user chooses the file again (add() with a file of the same
 * fingerprint continues it), or, with a kept file handle, resumes with one click (resume(id)).
 * Discarding it ends the upload on the server. No bytes of the file are stored anywhere.
 */
export class RestoredUpload {
  #cached: FileSnapshot | null = null;

  constructor(
    readonly id: string,
    readonly key: string,
    readonly info: KeyedFile,
    readonly session: ProtocolSession,
    readonly handle: FileHandleLike | undefined,
  ) {}

  snapshot(): FileSnapshot {
    const { name, size, type } = this.info;
    const acknowledged = Math.min(size, totalLength(mergeRanges(this.session.uploaded)));
    this.#cached ??= Object.freeze({
      id: this.id,
      name,
      size,
      type,
      status: 'paused',
      bytesSent: acknowledged,
      bytesAcknowledged: acknowledged,
      progress: size > 0 ? acknowledged / size : 0,
      speed: 0,
      eta: null,
      attempt: 0,
      error: null,
      rejection: null,
      url: this.session.resumeRecord()?.url ?? null,
      resumed: true,
      file: null,
      result: null,
      restored: this.handle ? 'reopen' : 'choose-file',
      notice: null,
      metadata: {},
      waiting: null,
    });
    return this.#cached;
  }

  /** Delete the upload on the server and forget its record and handle. Failures only leave it to expire. */
  async discard(host: RestoreHost): Promise<void> {
    try {
      const headers = await host.requestHeaders();
      await withTimeout(host, 'terminate', undefined, (signal) => this.session.terminate(headers, signal));
    } catch {
      // The server expires the upload on its own.
    }
    await forget(host, this.key);
  }
}

/** The fingerprint a resume key of `endpoint` names, or undefined for another endpoint's key. */
export function parseKey(endpoint: string, key: string): KeyedFile | undefined {
  const prefix = keyPrefix(endpoint);
  if (!key.startsWith(prefix)) return undefined;
  // Read from the right: only the name may contain colons.
  const found = /^(.*):(\d+):([^:]*):(-?\d+)$/s.exec(key.slice(prefix.length));
  if (!found) return undefined;
  const [, name = '', size = '0', type = '', lastModified = '0'] = found;
  return { name, size: Number(size), type, lastModified: Number(lastModified) };
}

/**
 * This endpoint's unfinished uploads, each asked of the server (tus: HEAD; S3: ListParts). A record
 * the server no longer knows, or that expired, is forgotten. `skip`: keys already in the list.
 */
export async function findRestorable(host: RestoreHost, skip: (key: string) => boolean, nextId: () => string): Promise<RestoredUpload[]> {
  const storage = host.storage();
  const listed = storage?.list ? await Promise.resolve().then(() => storage.list?.() ?? []).catch(() => []) : [];
  const entries = [...listed];
  const now = host.clock.now();
  const found = await Promise.all(
    entries.map(async ([key, record]) => {
      const info = parseKey(host.protocol.endpoint, key);
      if (!info || skip(key)) return undefined;
      if (record.expiresAt <= now) return void (await forget(host, key));
      return restoreOne(host, key, info, record, nextId);
    }),
  );
  return found.filter((entry): entry is RestoredUpload => entry !== undefined && !skip(entry.key));
}

async function restoreOne(host: RestoreHost, key: string, info: KeyedFile, record: ResumeRecord, nextId: () => string): Promise<RestoredUpload | undefined> {
  let session: ProtocolSession;
  try {
    const headers = await host.requestHeaders();
    const file = { id: key, ...info, metadata: { filename: info.name, filetype: info.type } };
    session = await withTimeout(host, 'open', undefined, (signal) => host.protocol.open({ file, resume: record, headers, signal }));
  } catch {
    // Offline or the server is down: try again on the next restore(); keep the record.
    return undefined;
  }
  const url = session.resumeRecord()?.url;
  // The server lost the upload (tus 404/410, S3 NoSuchUpload): nothing to continue.
  if (url === undefined || stripCredentials(url) !== record.url) return void (await forget(host, key));
  const handle = await host.handles()?.get(key);
  return new RestoredUpload(nextId(), key, info, session, handle);
}

async function forget(host: RestoreHost, key: string): Promise<void> {
  try {
    await host.storage()?.remove(key);
  } catch {
    // It expires on its own.
  }
  await host.handles()?.remove(key);
}
