import {
  BENCH_DONE,
  INPUT_ID,
  optionsFromQuery,
  type LongTaskFigures,
  type PageResult,
  type UploadFn,
} from './pageProtocol.js';

declare global {
  interface Window {
    benchDone?: (result: PageResult) => void;
  }
}

/**
 * The part every page shares: wait for files on the input, time the upload with
 * performance.now() from the change event to the last acknowledgement, count long tasks.
 */
export function runBenchPage(upload: UploadFn): void {
  const longTasks: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries()));
  observer.observe({ type: 'longtask', buffered: true });

  const input = document.getElementById(INPUT_ID);
  if (!(input instanceof HTMLInputElement)) throw new Error(`#${INPUT_ID} is not an input`);
  input.addEventListener('change', () => {
    const files = Array.from(input.files ?? []);
    const started = performance.now();
    upload(files, optionsFromQuery(location.search)).then(
      async (outcome) => {
        const ms = performance.now() - started;
        // Long-task entries are delivered asynchronously; give the observer a moment.
        await new Promise((resolve) => setTimeout(resolve, 200));
        longTasks.push(...observer.takeRecords());
        const bytes = files.reduce((sum, file) => sum + file.size, 0);
        const during = summarise(longTasks.filter((task) => task.startTime + task.duration >= started && task.startTime <= started + ms));
        report({ ok: true, bytes, files: files.length, ms, longTasks: during, outcome });
      },
      (error: unknown) => report({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
    );
  });
  document.body.dataset.ready = 'true';
}

function summarise(tasks: PerformanceEntry[]): LongTaskFigures {
  return {
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
