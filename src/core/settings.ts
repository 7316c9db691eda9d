import { browserOnline } from './onlineGate.js';
import type { Clock, HeaderRecord } from './ports.js';
import { systemClock } from './systemClock.js';
import type { ConfigurableOption, UploaderEvents, UploaderOptions } from './types.js';
import { browserLocks } from './UploadLock.js';
import { UploadError } from './UploadError.js';

type Defaulted = Exclude<keyof UploaderOptions, 'protocol' | 'restrictions' | 'headers' | 'metadata' | 'onBeforeFileAdded' | keyof UploaderEvents>;

/** The uploader's options with every default filled in. */
export type Settings = UploaderOptions & Required<Pick<UploaderOptions, Defaulted>>;

const MiB = 1024 * 1024;

export const UPLOADER_DEFAULTS = {
  memoryBudget: 64 * MiB,
  partSize: 8 * MiB,
  maxPartSize: 256 * MiB,
  concurrency: 6,
  stallTimeout: 30_000,
  responseTimeout: 120_000,
  resumeTtl: 7 * 24 * 60 * 60 * 1000,
  poolIdleTimeout: 5000,
  progressInterval: 100,
} as const;

/** The options configure() may change while uploads run; the React hook pushes exactly these. */
export const CONFIGURABLE_OPTIONS: readonly ConfigurableOption[] = [
  'restrictions',
  'concurrency',
  'headers',
  'metadata',
  'retry',
  'stallTimeout',
  'responseTimeout',
  'autoStart',
  'onBeforeFileAdded',
  // Events: a React app's inline callbacks change every render, and the latest ones should run.
  'onFileAdded',
  'onProgress',
  'onSuccess',
  'onError',
  'onComplete',
];

export const DEFAULTS: Omit<Settings, 'protocol' | 'restrictions' | 'headers' | 'metadata' | 'onBeforeFileAdded'> = {
  ...UPLOADER_DEFAULTS,
  checksum: 'auto',
  autoStart: true,
  retry: {},
  resume: true,
  fileHandles: true,
  clock: systemClock,
  random: Math.random,
  online: browserOnline,
  locks: browserLocks(),
};

/**
 * Copy `keys` of `options` into the settings. Undefined means "the default", at creation and in
 * configure() (useUpload passes undefined for an option the app removed), so defaults are filled
 * in here, once, and every reader sees a plain value.
 */
export function assign(settings: Settings, options: Partial<UploaderOptions>, keys: readonly (keyof UploaderOptions)[]): void {
  const defaults: Partial<Settings> = DEFAULTS;
  for (const key of keys) {
    // `locks: null` is a choice (no Web Locks: one request less per file), not "the default".
    if (key in options) Object.assign(settings, { [key]: key === 'locks' && options.locks === null ? null : (options[key] ?? defaults[key]) });
  }
}

/**
 * The headers option, resolved before every request. A headers function that never settles (a token
 * refresh whose own request hangs) fails as a retryable 'timeout' after responseTimeout instead of
 * holding the upload forever.
 */
export function resolveHeaders(option: UploaderOptions['headers'], limit: { clock: Clock; responseTimeout: number }, refused: boolean): Promise<HeaderRecord> {
  if (typeof option !== 'function') return Promise.resolve({ ...option });
  const { clock, responseTimeout: ms } = limit;
  return new Promise<HeaderRecord>((resolve, reject) => {
    const timer = ms < Infinity ? clock.setTimeout(() => reject(new UploadError('timeout', `headers() gave no answer within ${ms} ms`)), ms) : null;
    Promise.resolve()
      .then(() => option({ refused }))
      .then((headers) => resolve({ ...headers }), reject)
      .finally(() => timer !== null && clock.clearTimeout(timer));
  });
}

/**
 * A whole number of bytes, at least 1. A value that rounds down to 0 is refused here, at creation:
 * the buffer pool sized from it comes only with the first hash (hashing.ts), too late to refuse it.
 */
export function positive(value: number, name: string): number {
  const bytes = Math.floor(value);
  if (!(bytes >= 1) || !Number.isFinite(bytes)) throw new RangeError(`createUploader: \`${name}\` must be a positive number`);
  return bytes;
}
