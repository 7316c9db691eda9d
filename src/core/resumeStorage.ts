import type { ResumeRecord, UrlStorage } from './ports.js';
import { stripCredentials } from './UploadError.js';

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
  const base = stripCredentials(endpoint).replace(/[?#].*$/, '');
  return `${PREFIX}${base}:${fingerprint(file)}`;
}

/** Records in a Map: for tests, for Node, and where localStorage is unavailable. */
export function memoryUrlStorage(): UrlStorage {
  const records = new Map<string, ResumeRecord>();
  return {
    get: (key) => records.get(key),
    set: (key, record) => void records.set(key, record),
    remove: (key) => void records.delete(key),
  };
}

/**
 * Records in localStorage, or undefined where it is missing or refuses access (SSR, Node,
 * sandboxed iframes and some private modes throw on first touch).
 */
export function localUrlStorage(): UrlStorage | undefined {
  if (typeof localStorage === 'undefined') return undefined;
  let storage: Storage;
  try {
    storage = localStorage;
    storage.getItem(PREFIX);
  } catch {
    return undefined;
  }
  return {
    get: (key) => parseRecord(safely(() => storage.getItem(key)) ?? null),
    // A full quota only loses the ability to resume; the upload itself goes on.
    set: (key, record) => void safely(() => storage.setItem(key, JSON.stringify(record))),
    remove: (key) => void safely(() => storage.removeItem(key)),
  };
}

/** Resolve the `resume` option: true means localStorage when the environment has it. */
export function resolveUrlStorage(option: boolean | UrlStorage | undefined): UrlStorage | null {
  if (option === false) return null;
  if (option === true || option === undefined) return localUrlStorage() ?? memoryUrlStorage();
  return option;
}

function parseRecord(text: string | null): ResumeRecord | undefined {
  if (text === null) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (!isRecord(value)) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is ResumeRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<ResumeRecord>;
  return (
    typeof record.url === 'string' &&
    typeof record.createdAt === 'number' &&
    typeof record.expiresAt === 'number' &&
    (record.state === undefined || (typeof record.state === 'object' && record.state !== null))
  );
}

function safely<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch {
    return undefined;
  }
}
