import type { ResumeRecord, UrlStorage } from './ports.js';
import { stripCredentials, withoutQuery } from './urls.js';

const PREFIX = 'lean-upload:';

/** What identifies "the same file" across page loads, without reading its bytes. */
export function fingerprint(file: Pick<File, 'name' | 'size' | 'type' | 'lastModified'>): string {
  return `${file.name}:${file.size}:${file.type}:${file.lastModified}`;
}

/**
 * The storage key of a file's resume record. The endpoint loses its query string and hash
 * (they often carry per-session tokens that must not split or leak into keys) and any userinfo.
 */
export function resumeKey(endpoint: string, file: Pick<File, 'name' | 'size' | 'type' | 'lastModified'>): string {
  return `${keyPrefix(endpoint)}${fingerprint(file)}`;
}

/** What every resume key of this endpoint starts with. */
export function keyPrefix(endpoint: string): string {
  return `${PREFIX}${withoutQuery(stripCredentials(endpoint))}:`;
}

/** Storages whose records no other tab can see: no need to lock an upload against other tabs. */
const pageLocal = new WeakSet<UrlStorage>();

export function isPageLocal(storage: UrlStorage): boolean {
  return pageLocal.has(storage);
}

/** Records in a Map: for tests, for Node, and where localStorage is unavailable. */
export function memoryUrlStorage(): UrlStorage {
  const records = new Map<string, ResumeRecord>();
  const storage: UrlStorage = {
    get: (key) => records.get(key),
    set: (key, record) => void records.set(key, record),
    remove: (key) => void records.delete(key),
    list: () => [...records],
  };
  pageLocal.add(storage);
  return storage;
}

/**
 * Records in localStorage, or undefined where it is missing or refuses access (SSR, Node,
 * sandboxed iframes and some private modes throw on first touch).
 */
export function localUrlStorage(): UrlStorage | undefined {
  let storage: Storage;
  try {
    storage = localStorage;
    storage.getItem(PREFIX);
  } catch {
    // Missing (a ReferenceError where no global exists) or refused.
    return undefined;
  }
  const get = (key: string) => safely(() => parseRecord(storage.getItem(key)));
  return {
    get,
    // A full quota only loses the ability to resume; the upload itself goes on.
    set: (key, record) => void safely(() => storage.setItem(key, JSON.stringify(record))),
    remove: (key) => void safely(() => storage.removeItem(key)),
    // Our records (keys with our prefix), skipping unreadable ones. A throwing storage fails the
    // whole listing, which the restore list reads as "nothing to restore".
    list: () => {
      const found: [string, ResumeRecord][] = [];
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        const record = key?.startsWith(PREFIX) ? get(key) : undefined;
        if (key && record) found.push([key, record]);
      }
      return found;
    },
  };
}

/** Resolve the `resume` option: true means localStorage when the environment has it. */
export function resolveUrlStorage(option: boolean | UrlStorage | undefined): UrlStorage | null {
  if (option === false) return null;
  if (option === true || option === undefined) return localUrlStorage() ?? memoryUrlStorage();
  return option;
}

/** A stored record, or undefined for anything else (garbage, another app's value, an old format). */
function parseRecord(text: string | null): ResumeRecord | undefined {
  const record: Partial<ResumeRecord> | null = JSON.parse(text ?? 'null');
  const valid =
    typeof record?.url === 'string' &&
    typeof record.createdAt === 'number' &&
    typeof record.expiresAt === 'number' &&
    (record.state === undefined || (typeof record.state === 'object' && record.state !== null));
  return valid ? (record as ResumeRecord) : undefined;
}

/** Storage and JSON may throw (quota, access, garbage): that only costs resuming. */
function safely<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch {
    return undefined;
  }
}
