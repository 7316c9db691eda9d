/**
 * What the runner and the bundled pages exchange. Options travel in the page URL's query;
 * the result comes back through the `benchDone` binding the runner exposes.
 */
export interface PageOptions {
  endpoint: string;
  chunkSize?: number;
  checksum?: 'auto' | 'sha-256' | false;
  /** lean's page: tus (default) or S3 multipart through the signing backend at `endpoint`. */
  protocol?: 'tus' | 's3';
}

/**
 * The page's own memory, by performance.measureUserAgentSpecificMemory() (needs cross-origin
 * isolation; the bench serves COOP/COEP): JS heaps and DOM of the page and its workers, not blob
 * storage, network buffers or the browser process. Null when the API is missing.
 */
export interface PageMemory {
  baselineBytes: number;
  peakBytes: number;
  /** At the peak: bytes attributed to the page itself and to its dedicated workers. */
  peakWindowBytes: number;
  peakWorkerBytes: number;
  samples: number;
}

/** lean-upload's own accounting, read from its snapshot. */
export interface LeanFigures {
  budgetBytes: number;
  peakInFlightBytes: number;
  buffersCreated: number;
  /** Buffers created after a quarter of the bytes were acknowledged (the pool is warm by then). */
  buffersCreatedAfterWarmup: number;
  buffersReused: number;
  leaksDetected: number;
  /** Times the uploader notified its subscribers (what a React hook would re-render on). */
  notifications: number;
}

export interface LongTaskFigures {
  count: number;
  maxMs: number;
  totalMs: number;
  /** The first few, relative to the start of the upload, for reading the JSON. */
  first: { startMs: number; durationMs: number }[];
}

export interface UploadOutcome {
  /** Upload URL per file, in the order the input listed the files. */
  urls: string[];
  lean?: LeanFigures;
}

export type PageResult =
  | { ok: true; bytes: number; files: number; ms: number; longTasks: LongTaskFigures; outcome: UploadOutcome; memory: PageMemory | null }
  | { ok: false; error: string };

export type UploadFn = (files: File[], options: PageOptions) => Promise<UploadOutcome>;

export const BENCH_DONE = 'benchDone';
export const INPUT_ID = 'files';

export function optionsToQuery(options: PageOptions): string {
  const query = new URLSearchParams({ endpoint: options.endpoint });
  if (options.chunkSize !== undefined) query.set('chunkSize', String(options.chunkSize));
  if (options.checksum !== undefined) query.set('checksum', String(options.checksum));
  if (options.protocol !== undefined) query.set('protocol', options.protocol);
  return query.toString();
}

export function optionsFromQuery(search: string): PageOptions {
  const query = new URLSearchParams(search);
  const options: PageOptions = { endpoint: query.get('endpoint') ?? '/files' };
  const chunkSize = query.get('chunkSize');
  if (chunkSize !== null) options.chunkSize = Number(chunkSize);
  const checksum = query.get('checksum');
  if (checksum === 'auto' || checksum === 'sha-256') options.checksum = checksum;
  if (checksum === 'false') options.checksum = false;
  const protocol = query.get('protocol');
  if (protocol === 'tus' || protocol === 's3') options.protocol = protocol;
  return options;
}
