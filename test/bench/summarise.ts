import type { ContenderId } from './contenders.js';
import type { NetworkId } from './networks.js';
import type { LeanFigures, LongTaskFigures, PageMemory } from './pages/pageProtocol.js';
import type { HotFunction } from './pageProfiler.js';
import type { RequestFigures } from './RequestStats.js';

export type ScenarioId = 'big' | 'small' | 'tiny';

const GiB = 1024 ** 3;

export interface RunRecord {
  round: number;
  network: NetworkId;
  /** The shaped link's upload capacity in bytes per second; undefined on loopback. */
  linkBytesPerSecond?: number | undefined;
  scenario: ScenarioId;
  contender: ContenderId;
  ok: boolean;
  error?: string;
  bytes: number;
  files: number;
  ms: number;
  /** 10^6 bytes per second. */
  mbps: number;
  baselineRssBytes: number;
  peakGrowthBytes: number;
  /** Peak growth of the summed RSS without its file-backed pages (Chromium's code, fonts): anonymous and shared memory. */
  peakNonFileGrowthBytes: number;
  /** Peak RSS growth per Chromium process kind (each kind's own peak, so they need not add up). */
  growthByKind: Record<string, number>;
  /** performance.measureUserAgentSpecificMemory() of the page (JS heaps of page and workers). */
  pageMemory: PageMemory | null;
  /** Chromium processes summed at the end of the upload. */
  browserProcesses: number;
  browserVersion: string;
  longTasks: LongTaskFigures;
  lean?: LeanFigures;
  requests: RequestFigures;
  browserCpuSeconds: number;
  serverCpuSeconds: number;
  /** BENCH_PROFILE=1 only. */
  hotFunctions?: HotFunction[];
}

/** Medians over the successful rounds; "never" figures (long tasks, late buffers) take the worst. */
export interface Summary {
  network: NetworkId;
  scenario: ScenarioId;
  contender: ContenderId;
  runs: number;
  failures: number;
  mbps: number;
  /** Slowest and fastest round, to judge the noise around the median. */
  mbpsRange: [number, number];
  ms: number;
  /** Share of the shaped link's capacity the upload used (median run); undefined on loopback. */
  utilisation?: number | undefined;
  peakGrowthBytes: number;
  peakNonFileGrowthBytes: number;
  /** Median peak growth per process kind. */
  growthByKind: Record<string, number>;
  /** Median growth of the page's measured memory (peak minus baseline), and the worker's share at the peak. */
  pageMemoryGrowthBytes?: number | undefined;
  pageWorkerBytes?: number | undefined;
  longTaskCount: number;
  worstLongTaskCount: number;
  worstLongTaskMs: number;
  requests: RequestFigures | undefined;
  browserCpuSeconds: number;
  serverCpuSeconds: number;
  /** CPU seconds per GiB uploaded (medians over rounds). */
  browserCpuPerGiB: number;
  serverCpuPerGiB: number;
  lean?: {
    budgetBytes: number;
    worstPeakInFlightBytes: number;
    buffersCreated: number;
    worstBuffersAfterWarmup: number;
    leaksDetected: number;
    /** Subscriber notifications per second of upload (median). */
    notificationsPerSecond: number;
  };
}

export function summarise(records: readonly RunRecord[], network: NetworkId, scenario: ScenarioId, contender: ContenderId): Summary | undefined {
  const all = records.filter((record) => record.network === network && record.scenario === scenario && record.contender === contender);
  if (all.length === 0) return undefined;
  const ok = all.filter((record) => record.ok);
  const pick = (figure: (record: RunRecord) => number): number => median(ok.map(figure));
  const worst = (figure: (record: RunRecord) => number): number => Math.max(0, ...ok.map(figure));
  const leanRuns = ok.flatMap((record) => (record.lean ? [record.lean] : []));
  const medianRun = ok.find((record) => record.mbps === pick((r) => r.mbps)) ?? ok[0];
  const measured = ok.flatMap((record) => (record.pageMemory ? [record.pageMemory] : []));
  const link = ok[0]?.linkBytesPerSecond;
  return {
    network,
    scenario,
    contender,
    runs: ok.length,
    failures: all.length - ok.length,
    mbps: pick((record) => record.mbps),
    mbpsRange: [Math.min(...ok.map((record) => record.mbps)), Math.max(...ok.map((record) => record.mbps))],
    ms: pick((record) => record.ms),
    utilisation: link ? (pick((record) => record.mbps) * 1e6) / link : undefined,
    peakGrowthBytes: pick((record) => record.peakGrowthBytes),
    peakNonFileGrowthBytes: pick((record) => record.peakNonFileGrowthBytes),
    growthByKind: medianByKey(ok.map((record) => record.growthByKind)),
    pageMemoryGrowthBytes: measured.length > 0 ? median(measured.map((memory) => memory.peakBytes - memory.baselineBytes)) : undefined,
    pageWorkerBytes: measured.length > 0 ? median(measured.map((memory) => memory.peakWorkerBytes)) : undefined,
    longTaskCount: pick((record) => record.longTasks.count),
    worstLongTaskCount: worst((record) => record.longTasks.count),
    worstLongTaskMs: worst((record) => record.longTasks.maxMs),
    requests: medianRun?.requests,
    browserCpuSeconds: pick((record) => record.browserCpuSeconds),
    serverCpuSeconds: pick((record) => record.serverCpuSeconds),
    browserCpuPerGiB: pick((record) => (record.browserCpuSeconds * GiB) / record.bytes),
    serverCpuPerGiB: pick((record) => (record.serverCpuSeconds * GiB) / record.bytes),
    ...(leanRuns.length > 0
      ? {
          lean: {
            budgetBytes: leanRuns[0]?.budgetBytes ?? 0,
            worstPeakInFlightBytes: Math.max(...leanRuns.map((lean) => lean.peakInFlightBytes)),
            buffersCreated: median(leanRuns.map((lean) => lean.buffersCreated)),
            worstBuffersAfterWarmup: Math.max(...leanRuns.map((lean) => lean.buffersCreatedAfterWarmup)),
            leaksDetected: Math.max(...leanRuns.map((lean) => lean.leaksDetected)),
            notificationsPerSecond: pick((record) => (record.lean ? (1000 * record.lean.notifications) / record.ms : 0)),
          },
        }
      : {}),
  };
}

function medianByKey(maps: readonly Record<string, number>[]): Record<string, number> {
  const keys = [...new Set(maps.flatMap((map) => Object.keys(map)))].sort();
  return Object.fromEntries(keys.map((key) => [key, median(maps.map((map) => map[key] ?? 0))]));
}

/** Median; for an even count, the mean of the two middle values. NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}
