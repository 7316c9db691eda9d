/**
 * File handles kept across page loads (Chromium's File System Access: from showOpenFilePicker or a
 * drop's DataTransferItem.getAsFileSystemHandle), so a restored upload resumes with one click after
 * the browser's permission prompt. Only the handle is stored (IndexedDB clones it), never file bytes.
 */

/** The part of FileSystemFileHandle used here; the permission calls are Chromium's. */
export interface FileHandleLike {
  readonly kind?: string;
  getFile(): Promise<File>;
  queryPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
}

/** Where handles live, keyed like resume records. */
export interface HandleStore {
  get(key: string): Promise<FileHandleLike | undefined>;
  set(key: string, handle: FileHandleLike): Promise<void>;
  remove(key: string): Promise<void>;
}

const STORE = 'handles';

/** Handles in IndexedDB, or null where there is none (Node, SSR, some private modes). */
export function indexedDbHandleStore(name = 'lean-upload'): HandleStore | null {
  if (typeof indexedDB === 'undefined') return null;
  let opened: Promise<IDBDatabase> | undefined;
  const db = (): Promise<IDBDatabase> =>
    (opened ??= settle(() => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      return request;
    }));
  const run = async <T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> =>
    settle(async () => act((await db()).transaction(STORE, mode).objectStore(STORE)));
  return {
    get: (key) => run('readonly', (store) => store.get(key) as IDBRequest<FileHandleLike | undefined>).catch(() => undefined),
    // Losing a handle only costs the one-click resume: the file can still be chosen again.
    set: (key, handle) => run('readwrite', (store) => store.put(handle, key)).then(() => undefined, () => undefined),
    remove: (key) => run('readwrite', (store) => store.delete(key)).then(() => undefined, () => undefined),
  };
}

function settle<T>(make: () => IDBRequest<T> | Promise<IDBRequest<T>>): Promise<T> {
  return Promise.resolve()
    .then(make)
    .then(
      (request) =>
        new Promise<T>((resolve, reject) => {
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        }),
    );
}

/**
 * Read access to a kept handle, asking the user when needed. Call from a click: Chromium shows the
 * prompt only with a user gesture. Null when refused or unavailable.
 */
export async function fileFromHandle(handle: FileHandleLike): Promise<File | null> {
  try {
    let state = (await handle.queryPermission?.({ mode: 'read' })) ?? 'granted';
    if (state === 'prompt') state = (await handle.requestPermission?.({ mode: 'read' })) ?? 'denied';
    return state === 'granted' ? await handle.getFile() : null;
  } catch {
    // Gone (moved, deleted) or refused: the user chooses the file again.
    return null;
  }
}
