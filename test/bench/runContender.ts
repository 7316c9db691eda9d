import { mkdir, writeFile } from 'node:fs/promises';
import { monitorEventLoopDelay, performance as nodePerformance } from 'node:perf_hooks';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../support/chromium.js';
import type { Contender } from './contenders.js';
import type { SourceFile } from './generateFiles.js';
import { BENCH_DONE, INPUT_ID, optionsToQuery, type PageResult } from './pages/pageProtocol.js';
import { pageProfiler, type HotFunction } from './pageProfiler.js';
import { ProcessTreeSampler, ticksToSeconds } from './ProcessTreeSampler.js';
import { watchProgress } from './watchProgress.js';

/** Eager measurement: measureUserAgentSpecificMemory() answers after a GC instead of within 20 s. */
export const BENCH_ARGS = [...chromiumArgs, '--enable-blink-features=ForceEagerMeasureMemory'];

export interface BrowserFigures {
  result: PageResult;
  baselineRssBytes: number;
  peakGrowthBytes: number;
  /** The same growth without file-backed pages (see TreeSample.fileBytes): what the memory target judges. */
  peakNonFileGrowthBytes: number;
  growthByKind: Record<string, number>;
  browserCpuSeconds: number;
  serverCpuSeconds: number;
  processes: number;
  browserVersion: string;
  /** With a profile path: the page's hottest functions by self time. */
  hotFunctions?: HotFunction[];
}

export interface RunWatch {
  /** A number that changes whenever the upload makes progress (see watchProgress). */
  progress: () => number;
  /** BENCH_PROFILE: where to write the page's CPU profile. */
  profilePath?: string | undefined;
}

/**
 * One run in a fresh Chromium: open the contender's page, choose the files through the
 * input, wait for the page to report, and sample the browser's process tree meanwhile.
 */
export async function runContender(
  origin: string,
  endpoint: string,
  contender: Contender,
  files: readonly SourceFile[],
  watch: RunWatch,
): Promise<BrowserFigures> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: BENCH_ARGS });
  try {
    const { page, done } = await openContenderPage(browser, origin, endpoint, contender);
    return { ...(await measureUpload(page, files, done, watch)), browserVersion: browser.version() };
  } finally {
    await browser.close();
  }
}

/**
 * The contender's page, ready for files, and the promise of what it reports when they are uploaded.
 * It has had 500 ms to settle its start-up work (compositor, first paint, code caching).
 */
export async function openContenderPage(
  browser: Browser,
  origin: string,
  endpoint: string,
  contender: Contender,
): Promise<{ page: Page; done: Promise<PageResult> }> {
  const page = await browser.newPage();
  let finish: (result: PageResult) => void = () => undefined;
  const done = new Promise<PageResult>((resolve) => (finish = resolve));
  await page.exposeBinding(BENCH_DONE, (_source, result: PageResult) => finish(result));
  await page.goto(`${origin}/${contender.page}.html?${optionsToQuery({ endpoint, ...contender.options })}${process.env.BENCH_TRACE === '1' ? '#trace' : ''}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.waitForTimeout(500);
  return { page, done };
}

async function measureUpload(
  page: Page,
  files: readonly SourceFile[],
  done: Promise<PageResult>,
  watch: RunWatch,
): Promise<Omit<BrowserFigures, 'browserVersion'>> {
  const sampler = new ProcessTreeSampler(process.pid);
  const baseline = sampler.sample();
  const profiler = watch.profilePath ? await pageProfiler(page) : undefined;
  const serverCpu = process.cpuUsage();
  // The S3 engine (Swift's Python servers, memcached) runs in child processes of this one: its CPU
  // counts as server CPU (idle when the contender talks tus).
  const engine = new ProcessTreeSampler(process.pid, /python|memcached/, 1);
  const engineBefore = engine.sample().cpuTicks;
  const watchdog = watchProgress(watch.progress);
  const loop = process.env.BENCH_TRACE === '1' ? watchEventLoop() : undefined;
  sampler.start(100);
  let result: PageResult;
  let sampled: ReturnType<ProcessTreeSampler['stop']>;
  try {
    await page.setInputFiles(`#${INPUT_ID}`, files.map((file) => file.path));
    result = await withTimeout(Promise.race([done, watchdog.stalled]), timeoutFor(files), 'the page did not report');
  } finally {
    watchdog.stop();
    sampled = sampler.stop();
  }
  loop?.stop();
  if (process.env.BENCH_TRACE === '1') await traceRequests(page);
  const { peakRssBytes, peakNonFileBytes, peakRssByKind, last } = sampled;
  const server = process.cpuUsage(serverCpu);
  const engineSeconds = ticksToSeconds(engine.sample().cpuTicks - engineBefore);
  const hot = profiler && watch.profilePath ? await profiler.stop(watch.profilePath) : undefined;
  return {
    ...(hot ? { hotFunctions: hot } : {}),
    result,
    baselineRssBytes: baseline.rssBytes,
    peakGrowthBytes: Math.max(0, peakRssBytes - baseline.rssBytes),
    peakNonFileGrowthBytes: Math.max(0, peakNonFileBytes - (baseline.rssBytes - baseline.fileBytes)),
    growthByKind: Object.fromEntries(
      Object.entries(peakRssByKind).map(([kind, peak]) => [kind, Math.max(0, peak - (baseline.rssByKind[kind] ?? 0))]),
    ),
    browserCpuSeconds: ticksToSeconds(last.cpuTicks - baseline.cpuTicks),
    serverCpuSeconds: (server.user + server.system) / 1e6 + engineSeconds,
    processes: last.processes,
  };
}

/** Generous: a run slower than 1 MB/s (plus a minute) is broken, not slow (the slow link carries 2.5 MB/s). */
function timeoutFor(files: readonly SourceFile[]): number {
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  return 60_000 + bytes / 1_000;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * BENCH_TRACE=1 (diagnosis): every request the page made, from its resource timings, and the page's
 * own view (each XMLHttpRequest from send to loadend, each file read), relative to the start of the
 * upload: the requests printed when few, everything written to .artifacts/bench/trace-<n>.json.
 */
async function traceRequests(page: Page): Promise<void> {
  const entries = await page.evaluate(() => {
    const started = window.benchStartedAt ?? 0;
    return performance.getEntriesByType('resource').map((entry) => {
      const timing = entry as PerformanceResourceTiming;
      const url = new URL(timing.name);
      return {
        what: `${url.port} ${url.pathname.slice(0, 60)}`,
        start: Math.round(timing.startTime - started),
        end: Math.round(timing.responseEnd - started),
      };
    }).filter((entry) => entry.end >= 0).concat((window.benchXhr ?? []).map((xhr) => ({
      what: xhr.read ? 'read (page)' : 'xhr (page)',
      start: Math.round(xhr.sent - (window.benchStartedAt ?? 0)),
      end: Math.round(xhr.ended - (window.benchStartedAt ?? 0)),
    })));
  });
  await mkdir('.artifacts/bench', { recursive: true });
  const file = `.artifacts/bench/trace-${Date.now()}.json`;
  await writeFile(file, JSON.stringify(entries, null, 1));
  // The network's entries, when few (an S3 upload's); the page's own (xhr, read) only in the file.
  const requests = entries.filter((entry) => !entry.what.endsWith('(page)'));
  if (requests.length <= 60) for (const entry of requests) console.log(`  trace ${String(entry.start).padStart(6)} → ${String(entry.end).padStart(6)} ms  ${entry.what}`);
  console.log(`  trace: ${entries.length} requests in ${file}`);
}

/** BENCH_TRACE=1: how busy this process's event loop (the servers and the shaping proxy) was during the upload. */
function watchEventLoop(): { stop(): void } {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const before = nodePerformance.eventLoopUtilization();
  return {
    stop() {
      delay.disable();
      const used = nodePerformance.eventLoopUtilization(before);
      const ms = (ns: number): string => (ns / 1e6).toFixed(1);
      console.log(`  event loop: ${(used.utilization * 100).toFixed(0)}% busy, delay p50 ${ms(delay.percentile(50))} p99 ${ms(delay.percentile(99))} max ${ms(delay.max)} ms`);
    },
  };
}
