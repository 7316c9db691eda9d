import type { Contender } from './contenders.js';
import type { TusRoute } from './createTusRoutes.js';
import type { Scenario } from './runBench.js';
import { runContender } from './runContender.js';
import type { BenchServer } from './startBenchServer.js';
import type { RunRecord } from './summarise.js';
import { clearUploads, verifyUploads } from './verifyUploads.js';
import { storedBytes } from './watchProgress.js';

/** One contender, one scenario: upload, verify every stored byte, delete the uploads. */
export async function runOnce(
  server: BenchServer,
  routes: readonly TusRoute[],
  contender: Contender,
  scenario: Scenario,
  round: number,
  profilePath?: string,
): Promise<RunRecord> {
  const route = routes.find((candidate) => candidate.kind === contender.server);
  if (!route) throw new Error(`no ${contender.server} tus route`);
  const stats = server.resetStats();
  const base = { round, scenario: scenario.id, contender: contender.id };
  try {
    const progress = (): number => stats.activity() + storedBytes(route.directory);
    const figures = await runContender(server.origin, route.route, contender, scenario.files, { progress, profilePath });
    const requests = stats.figures();
    const { result } = figures;
    const record: RunRecord = {
      ...base,
      ok: false,
      bytes: result.ok ? result.bytes : 0,
      files: result.ok ? result.files : 0,
      ms: result.ok ? result.ms : 0,
      mbps: result.ok ? result.bytes / 1e3 / result.ms : 0,
      baselineRssBytes: figures.baselineRssBytes,
      peakGrowthBytes: figures.peakGrowthBytes,
      browserProcesses: figures.processes,
      browserVersion: figures.browserVersion,
      longTasks: result.ok ? result.longTasks : { count: 0, maxMs: 0, totalMs: 0, first: [] },
      requests,
      browserCpuSeconds: figures.browserCpuSeconds,
      serverCpuSeconds: figures.serverCpuSeconds,
      ...(result.ok && result.outcome.lean ? { lean: result.outcome.lean } : {}),
      ...(figures.hotFunctions ? { hotFunctions: figures.hotFunctions } : {}),
    };
    if (!result.ok) return { ...record, error: `page: ${result.error}` };
    const problems = await verifyUploads(route.directory, scenario.files, result.outcome.urls);
    if (contender.server === 'checksum' && requests.checksummedBodies < requests.bodyRequests) {
      // The contender exists to measure verified uploads; unverified bytes would flatter it.
      problems.push(`${requests.bodyRequests - requests.checksummedBodies} of ${requests.bodyRequests} requests with bytes carried no Upload-Checksum`);
    }
    return problems.length === 0 ? { ...record, ok: true } : { ...record, error: `verification: ${problems.slice(0, 3).join('; ')}` };
  } catch (error) {
    return { ...base, ...emptyFigures(stats.figures()), ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await clearUploads(route.directory);
  }
}

function emptyFigures(requests: RunRecord['requests']): Omit<RunRecord, 'round' | 'scenario' | 'contender' | 'ok'> {
  return {
    bytes: 0,
    files: 0,
    ms: 0,
    mbps: 0,
    baselineRssBytes: 0,
    peakGrowthBytes: 0,
    browserProcesses: 0,
    browserVersion: '',
    longTasks: { count: 0, maxMs: 0, totalMs: 0, first: [] },
    requests,
    browserCpuSeconds: 0,
    serverCpuSeconds: 0,
  };
}
