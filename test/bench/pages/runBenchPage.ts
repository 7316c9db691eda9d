import {
  BENCH_DONE,
  INPUT_ID,
  optionsFromQuery,
  type LongTaskFigures,
  type PageResult,
  type UploadFn,
  type UploadOutcome,
} from './pageProtocol.js';
import { watchPageMemory } from './measureMemory.js';

declare global {
  interface Window {
    benchDone?: (result: PageResult) => void;
    /** performance.now() when the upload started: BENCH_TRACE reads resource timings relative to it. */
    benchStartedAt?: number;
    /** BENCH_TRACE: when each XMLHttpRequest was sent and when its loadend ran, in page time. */
    benchXhr?: { sent: number; ended: number; read?: boolean }[];
  }
}

/**
 * The part every page shares: wait for files on the input, time the upload with
 * performance.now() from just after the change event to the last acknowledgement, and count
 * long tasks that started meanwhile.
 */
export function runBenchPage(upload: UploadFn): void {
  const longTasks: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries()));
  observer.observe({ type: 'longtask', buffered: true });

  // Room for every request of 300 files (BENCH_TRACE reads them; the default keeps 250).
  performance.setResourceTimingBufferSize(10_000);
  if (location.hash === '#trace') traceXhr();
  const input = document.getElementById(INPUT_ID);
  if (!(input instanceof HTMLInputElement)) throw new Error(`#${INPUT_ID} is not an input`);
  input.addEventListener('change', () => {
    const files = Array.from(input.files ?? []);
    // Tasks that start after this moment are ours; the one running now began before it.
    const changed = performance.now();
    // Start in a task of our own: the task that dispatches 'change' also holds the browser's
    // work for setting the files, which is no library's cost.
    setTimeout(() => void timeUpload(upload, files, changed, { longTasks, observer }), 0);
  });
  document.body.dataset.ready = 'true';
}

interface LongTaskLog {
  longTasks: PerformanceEntry[];
  observer: PerformanceObserver;
}

async function timeUpload(upload: UploadFn, files: File[], changed: number, { longTasks, observer }: LongTaskLog): Promise<void> {
  // Before the clock starts: the baseline must not include the upload's own buffers.
  const memory = await watchPageMemory();
  const started = performance.now();
  window.benchStartedAt = started;
  let outcome: UploadOutcome;
  try {
    outcome = await upload(files, optionsFromQuery(location.search));
  } catch (error) {
    await memory?.stop();
    report({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    return;
  }
  const ms = performance.now() - started;
  const measured = (await memory?.stop()) ?? null;
  // Long-task entries are delivered asynchronously; give the observer a moment.
  await new Promise((resolve) => setTimeout(resolve, 200));
  longTasks.push(...observer.takeRecords());
  const during = longTasks.filter((task) => task.startTime > changed && task.startTime <= started + ms);
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  report({ ok: true, bytes, files: files.length, ms, longTasks: summarise(during, started), outcome, memory: measured });
}

function summarise(tasks: PerformanceEntry[], started: number): LongTaskFigures {
  return {
    first: tasks.slice(0, 10).map((task) => ({ startMs: Math.round(task.startTime - started), durationMs: Math.round(task.duration) })),
    count: tasks.length,
    maxMs: tasks.reduce((max, task) => Math.max(max, task.duration), 0),
    totalMs: tasks.reduce((sum, task) => sum + task.duration, 0),
  };
}

function report(result: PageResult): void {
  const done = window[BENCH_DONE];
  if (!done) throw new Error('the runner did not expose benchDone');
  done(result);
}

/** BENCH_TRACE: the page's own view of each request (send() called, loadend handled), beside the network's. */
function traceXhr(): void {
  const log: { sent: number; ended: number; read?: boolean }[] = (window.benchXhr = []);
  const send = XMLHttpRequest.prototype.send;
  const read = ReadableStreamBYOBReader.prototype.read;
  // Reads of file bytes (the checksum's): one entry per read, as xhr entries are.
  ReadableStreamBYOBReader.prototype.read = function tracedRead(this: ReadableStreamBYOBReader, ...args: Parameters<typeof read>) {
    const entry = { sent: performance.now(), ended: -1, read: true };
    log.push(entry);
    const pending = read.apply(this, args);
    void pending.then(() => (entry.ended = performance.now()), () => undefined);
    return pending;
  } as typeof read;
  XMLHttpRequest.prototype.send = function traced(this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const entry = { sent: performance.now(), ended: -1 };
    log.push(entry);
    this.addEventListener('loadend', () => (entry.ended = performance.now()));
    send.call(this, body);
  };
}
