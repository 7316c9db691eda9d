import type { Contender } from './contenders.js';
import type { TusRoute } from './createTusRoutes.js';
import type { Network } from './networks.js';
import type { Scenario } from './runBench.js';
import { runContender } from './runContender.js';
import { LEAN_S3_ROUTE, UPPY_SIGN_ROUTE, type S3Side } from './s3Side.js';
import type { BenchServer } from './startBenchServer.js';
import type { RunRecord } from './summarise.js';
import { clearUploads, verifyUploads } from './verifyUploads.js';
import { storedBytes } from './watchProgress.js';

/** Where one run happens: the page's origin (through the link when shaped) and the servers behind it. */
export interface RunPlace {
  network: Network;
  origin: string;
  server: BenchServer;
  routes: readonly TusRoute[];
  s3: S3Side | undefined;
}

interface Store {
  endpoint: string;
  progress(): number;
  verify(urls: readonly string[]): Promise<string[]>;
  clear(): Promise<void>;
}

/** One contender, one scenario, one link: upload, verify every stored byte, delete the uploads. */
export async function runOnce(place: RunPlace, contender: Contender, scenario: Scenario, round: number, profilePath?: string): Promise<RunRecord> {
  const store = storeFor(place, contender, scenario);
  const stats = place.server.resetStats();
  const shape = place.network.shape;
  const base = {
    round,
    network: place.network.id,
    linkBytesPerSecond: shape ? shape.uploadBitsPerSecond / 8 : undefined,
    scenario: scenario.id,
    contender: contender.id,
  };
  try {
    const progress = (): number => stats.activity() + store.progress();
    const figures = await runContender(place.origin, store.endpoint, contender, scenario.files, { progress, profilePath });
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
      peakNonFileGrowthBytes: figures.peakNonFileGrowthBytes,
      growthByKind: figures.growthByKind,
      pageMemory: result.ok ? result.memory : null,
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
    const problems = await store.verify(result.outcome.urls);
    if (contender.server === 'checksum' && requests.checksummedBodies < requests.bodyRequests) {
      // The contender exists to measure verified uploads; unverified bytes would flatter it.
      problems.push(`${requests.bodyRequests - requests.checksummedBodies} of ${requests.bodyRequests} requests with bytes carried no Upload-Checksum`);
    }
    return problems.length === 0 ? { ...record, ok: true } : { ...record, error: `verification: ${problems.slice(0, 3).join('; ')}` };
  } catch (error) {
    return { ...base, ...emptyFigures(stats.figures()), ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await store.clear();
  }
}

function storeFor({ routes, s3 }: RunPlace, contender: Contender, scenario: Scenario): Store {
  if (contender.server === 's3') {
    if (!s3) throw new Error('S3 is not running');
    return {
      endpoint: contender.page === 'uppy-s3' ? UPPY_SIGN_ROUTE : LEAN_S3_ROUTE,
      progress: () => s3.activity(),
      verify: (urls) => s3.verify(scenario.files, urls),
      clear: () => s3.clear(),
    };
  }
  const route = routes.find((candidate) => candidate.kind === contender.server);
  if (!route) throw new Error(`no ${contender.server} tus route`);
  return {
    endpoint: route.route,
    progress: () => storedBytes(route.directory),
    verify: (urls) => verifyUploads(route.directory, scenario.files, urls),
    clear: () => clearUploads(route.directory),
  };
}

function emptyFigures(requests: RunRecord['requests']): Omit<RunRecord, 'round' | 'network' | 'scenario' | 'contender' | 'ok'> {
  return {
    bytes: 0,
    files: 0,
    ms: 0,
    mbps: 0,
    baselineRssBytes: 0,
    peakGrowthBytes: 0,
    peakNonFileGrowthBytes: 0,
    growthByKind: {},
    pageMemory: null,
    browserProcesses: 0,
    browserVersion: '',
    longTasks: { count: 0, maxMs: 0, totalMs: 0, first: [] },
    requests,
    browserCpuSeconds: 0,
    serverCpuSeconds: 0,
  };
}
