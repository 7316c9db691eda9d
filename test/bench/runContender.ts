import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../support/chromium.js';
import type { Contender } from './contenders.js';
import type { SourceFile } from './generateFiles.js';
import { BENCH_DONE, INPUT_ID, optionsToQuery, type PageResult } from './pages/pageProtocol.js';
import { pageProfiler, type HotFunction } from './pageProfiler.js';
import { ProcessTreeSampler, ticksToSeconds } from './ProcessTreeSampler.js';

export interface BrowserFigures {
  result: PageResult;
  baselineRssBytes: number;
  peakGrowthBytes: number;
  browserCpuSeconds: number;
  serverCpuSeconds: number;
  processes: number;
  browserVersion: string;
  /** With a profile path: the page's hottest functions by self time. */
  hotFunctions?: HotFunction[];
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
  profilePath?: string,
): Promise<BrowserFigures> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage();
    let finish: (result: PageResult) => void = () => undefined;
    const done = new Promise<PageResult>((resolve) => (finish = resolve));
    await page.exposeBinding(BENCH_DONE, (_source, result: PageResult) => finish(result));
    await page.goto(`${origin}/${contender.page}.html?${optionsToQuery({ endpoint, ...contender.options })}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    // Let start-up work (compositor, first paint, code caching) settle before the baseline.
    await page.waitForTimeout(500);

    const sampler = new ProcessTreeSampler(process.pid);
    const baseline = sampler.sample();
    const profiler = profilePath ? await pageProfiler(page) : undefined;
    const serverCpu = process.cpuUsage();
    sampler.start(100);
    await page.setInputFiles(`#${INPUT_ID}`, files.map((file) => file.path));
    const result = await withTimeout(done, timeoutFor(files), `${contender.id} did not finish`);
    const { peakRssBytes, last } = sampler.stop();
    const server = process.cpuUsage(serverCpu);
    const hot = profiler && profilePath ? await profiler.stop(profilePath) : undefined;
    return {
      ...(hot ? { hotFunctions: hot } : {}),
      result,
      baselineRssBytes: baseline.rssBytes,
      peakGrowthBytes: Math.max(0, peakRssBytes - baseline.rssBytes),
      browserCpuSeconds: ticksToSeconds(last.cpuTicks - baseline.cpuTicks),
      serverCpuSeconds: (server.user + server.system) / 1e6,
      processes: last.processes,
      browserVersion: browser.version(),
    };
  } finally {
    await browser.close();
  }
}

/** Generous: a run slower than 4 MB/s (plus a minute) is broken, not slow. */
function timeoutFor(files: readonly SourceFile[]): number {
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  return 60_000 + bytes / 4_000;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
