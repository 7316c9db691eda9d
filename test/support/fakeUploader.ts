import type {
  AddResult,
  FileSnapshot,
  MemorySnapshot,
  Totals,
  Uploader,
  UploadSnapshot,
} from '../../src/core/types.js';

/** A method call the fake recorded, in order. */
export interface FakeCall {
  method: 'add' | 'start' | 'pause' | 'resume' | 'cancel' | 'retry' | 'remove' | 'configure' | 'destroy';
  args: unknown[];
}

/**
 * An Uploader whose snapshots a test scripts: `setFiles`, `patchFile` and `setMemory` replace the
 * snapshot (keeping untouched FileSnapshot objects identical, as the core does) and notify listeners.
 */
export interface FakeUploader extends Uploader {
  readonly calls: FakeCall[];
  readonly destroyed: boolean;
  listenerCount(): number;
  setFiles(files: readonly FileSnapshot[]): void;
  patchFile(id: string, patch: Partial<FileSnapshot>): void;
  setMemory(patch: Partial<MemorySnapshot>): void;
}

export function fakeFile(patch: Partial<FileSnapshot> & { id: string }): FileSnapshot {
  return {
    name: `${patch.id}.bin`,
    size: 1000,
    type: 'application/octet-stream',
    status: 'queued',
    bytesSent: 0,
    bytesAcknowledged: 0,
    progress: 0,
    speed: 0,
    eta: null,
    attempt: 0,
    error: null,
    rejection: null,
    url: null,
    resumed: false,
    notice: null,
    metadata: {},
    waiting: null,
    ...patch,
  };
}

export const emptyMemory: MemorySnapshot = {
  budgetBytes: 64 * 1024 * 1024,
  inFlightBytes: 0,
  peakInFlightBytes: 0,
  pooledBytes: 0,
  bufferSize: 8 * 1024 * 1024,
  leasedBuffers: 0,
  idleBuffers: 0,
  buffersCreated: 0,
  buffersReused: 0,
  buffersReleased: 0,
  buffersFreed: 0,
  leaksDetected: 0,
};

function totalsOf(files: readonly FileSnapshot[]): Totals {
  const bytesTotal = files.reduce((sum, f) => sum + f.size, 0);
  const bytesAcknowledged = files.reduce((sum, f) => sum + f.bytesAcknowledged, 0);
  return {
    files: files.length,
    active: files.filter((f) => f.status === 'uploading').length,
    completed: files.filter((f) => f.status === 'completed').length,
    failed: files.filter((f) => f.status === 'failed').length,
    bytesTotal,
    bytesSent: files.reduce((sum, f) => sum + f.bytesSent, 0),
    bytesAcknowledged,
    progress: bytesTotal === 0 ? 0 : bytesAcknowledged / bytesTotal,
    speed: files.reduce((sum, f) => sum + f.speed, 0),
    eta: null,
    filesNeeded: 0,
  };
}

export function createFakeUploader(files: readonly FileSnapshot[] = []): FakeUploader {
  const listeners = new Set<() => void>();
  const calls: FakeCall[] = [];
  let snapshot: UploadSnapshot = { files, totals: totalsOf(files), memory: emptyMemory };
  let destroyed = false;
  let nextId = 1;

  const publish = (next: Partial<UploadSnapshot>) => {
    const nextFiles = next.files ?? snapshot.files;
    snapshot = {
      files: nextFiles,
      totals: next.files ? totalsOf(nextFiles) : snapshot.totals,
      memory: next.memory ?? snapshot.memory,
    };
    for (const listener of [...listeners]) listener();
  };
  const record = (method: FakeCall['method'], ...args: unknown[]) => {
    if (destroyed) throw new Error(`${method}() on a destroyed fake uploader`);
    calls.push({ method, args });
  };

  return {
    calls,
    get destroyed() {
      return destroyed;
    },
    listenerCount: () => listeners.size,
    setFiles: (next) => publish({ files: next }),
    patchFile(id, patch) {
      publish({ files: snapshot.files.map((f) => (f.id === id ? { ...f, ...patch } : f)) });
    },
    setMemory: (patch) => publish({ memory: { ...snapshot.memory, ...patch } }),
    add(input): AddResult {
      const added = Array.from(input);
      record('add', added);
      const created = added.map((file) => fakeFile({ id: `f${nextId++}`, name: file.name, size: file.size }));
      publish({ files: [...snapshot.files, ...created] });
      return { accepted: created.map((f) => f.id), rejected: [], pending: [] };
    },
    start: (id) => record('start', id),
    pause: (id) => record('pause', id),
    resume: (id) => record('resume', id),
    cancel: (id) => {
      record('cancel', id);
      return Promise.resolve();
    },
    retry: (id) => record('retry', id),
    remove: (id) => record('remove', id),
    configure: (options) => record('configure', options),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    destroy() {
      record('destroy');
      destroyed = true;
      listeners.clear();
    },
  };
}
