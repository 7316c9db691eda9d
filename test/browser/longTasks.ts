/**
 * Watches the main thread while previews are made. Two kinds of evidence:
 * - structural, and deterministic: every main-thread call into the image APIs is recorded with its
 *   arguments, so a test can assert that decoding asks for a resized bitmap and that the main thread
 *   only ever draws small bitmaps and never reads pixels;
 * - long tasks (> 50 ms), and which of them the preview work made long: the time spent inside those
 *   calls during a long task. The machine is shared (load averages above 10 on 2 cores are common): a
 *   task of the test runner, React or the garbage collector can stretch past 50 ms with no fault of the
 *   previews, and Long Animation Frame script attribution names no source for promise continuations,
 *   so only the calls' own time is the previews'.
 */
export interface ImageCall {
  readonly name: string;
  /** drawImage: the source's size; createImageBitmap: the resize asked for. */
  readonly width?: number;
  readonly height?: number;
  readonly start: number;
  end: number;
}

export async function watchPreviewWork() {
  const tasks: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries()));
  observer.observe({ type: 'longtask' });
  const work = spyImageCalls();
  // The setup task started before this moment; every task after it starts later.
  const from = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 0));
  return {
    calls: work.calls,
    stats: work.stats,
    async stop() {
      // Entries are delivered asynchronously: give a pending one two frames to arrive.
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      tasks.push(...observer.takeRecords());
      observer.disconnect();
      work.restore();
      const long = tasks.filter((task) => task.startTime >= from);
      const ownTime = (task: PerformanceEntry) =>
        work.calls
          .filter((call) => call.name !== 'createImageBitmap' && call.start >= task.startTime && call.end <= task.startTime + task.duration)
          .reduce((sum, call) => sum + (call.end - call.start), 0);
      return {
        all: long.map((task) => Math.round(task.duration)),
        /** Long tasks in which the preview calls themselves ran for 50 ms or more. */
        ours: long.filter((task) => ownTime(task) >= 50).map((task) => Math.round(task.duration)),
      };
    },
  };
}

type Sized = { width?: unknown; height?: unknown; videoWidth?: unknown; naturalWidth?: unknown; naturalHeight?: unknown };

function sizeOf(source: unknown): { width?: number; height?: number } {
  const s = (source ?? {}) as Sized;
  const width = Number(s.naturalWidth ?? s.videoWidth ?? s.width);
  const height = Number(s.naturalHeight ?? s.height);
  return { ...(Number.isFinite(width) && { width }), ...(Number.isFinite(height) && { height }) };
}

function spyImageCalls() {
  const calls: ImageCall[] = [];
  const stats = { decodes: 0, inFlight: 0, maxInFlight: 0 };
  const restores: (() => void)[] = [];
  function wrap<T extends object>(target: T, key: keyof T & string): void {
    const original = target[key] as unknown as (...args: unknown[]) => unknown;
    const timed = function (this: unknown, ...args: unknown[]) {
      const call: ImageCall = { name: key, ...(key === 'drawImage' ? sizeOf(args[0]) : {}), start: performance.now(), end: 0 };
      calls.push(call);
      try {
        return original.apply(this, args);
      } finally {
        call.end = performance.now();
      }
    };
    Object.assign(target, { [key]: timed });
    restores.push(() => Object.assign(target, { [key]: original }));
  }
  wrap(CanvasRenderingContext2D.prototype, 'drawImage');
  wrap(CanvasRenderingContext2D.prototype, 'getImageData');
  wrap(OffscreenCanvasRenderingContext2D.prototype, 'drawImage');
  wrap(OffscreenCanvasRenderingContext2D.prototype, 'getImageData');
  wrap(OffscreenCanvas.prototype, 'convertToBlob');
  wrap(HTMLCanvasElement.prototype, 'toBlob');
  wrap(URL, 'createObjectURL');
  wrap(FileReader.prototype, 'readAsDataURL');
  const decode = globalThis.createImageBitmap;
  globalThis.createImageBitmap = (async (...args: Parameters<typeof createImageBitmap>) => {
    const options = args.find((arg): arg is ImageBitmapOptions => typeof arg === 'object' && arg !== null && 'resizeWidth' in arg);
    const call: ImageCall = { name: 'createImageBitmap', ...(options?.resizeWidth !== undefined && { width: options.resizeWidth }), start: performance.now(), end: 0 };
    calls.push(call);
    stats.decodes++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    try {
      return await decode(...args);
    } finally {
      stats.inFlight--;
      call.end = performance.now();
    }
  }) as typeof createImageBitmap;
  restores.push(() => (globalThis.createImageBitmap = decode));
  return { calls, stats, restore: () => restores.splice(0).reverse().forEach((restore) => restore()) };
}
