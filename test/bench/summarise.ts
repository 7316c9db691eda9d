import type { ContenderId } from './contenders.js';
import type { LeanFigures, LongTaskFigures } from './pages/pageProtocol.js';
import type { HotFunction } from './pageProfiler.js';
import type { RequestFigures } from './RequestStats.js';

export type ScenarioId = 'big' | 'small';

export interface RunRecord {
  round: number;
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
  scenario: ScenarioId;
  contender: ContenderId;
  runs: number;
  failures: number;
  mbps: number;
  /** Slowest and fastest round, to judge the noise around the median. */
  mbpsRange: [number, number];
  ms: number;
  peakGrowthBytes: number;
  longTaskCount: number;
  worstLongTaskCount: number;
  worstLongTaskMs: number;
  requests: RequestFigures | undefined;
  browserCpuSeconds: number;
  serverCpuSeconds: number;
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

export function summarise(records: readonly RunRecord[], scenario: ScenarioId, contender: ContenderId): Summary | undefined {
  const all = records.filter((record) => record.scenario === scenario && record.contender === contender);
  if (all.length === 0) return undefined;
  const ok = all.filter((record) => record.ok);
  const pick = (figure: (record: RunRecord) => number): number => median(ok.map(figure));
  const worst = (figure: (record: RunRecord) => number): number => Math.max(0, ...ok.map(figure));
  const leanRuns = ok.flatMap((record) => (record.lean ? [record.lean] : []));
  const medianRun = ok.find((record) => record.mbps === pick((r) => r.mbps)) ?? ok[0];
  return {
    scenario,
    contender,
    runs: ok.length,
    failures: all.length - ok.length,
    mbps: pick((record) => record.mbps),
    mbpsRange: [Math.min(...ok.map((record) => record.mbps)), Math.max(...ok.map((record) => record.mbps))],
    ms: pick((record) => record.ms),
    peakGrowthBytes: pick((record) => record.peakGrowthBytes),
    longTaskCount: pick((record) => record.longTasks.count),
    worstLongTaskCount: worst((record) => record.longTasks.count),
    worstLongTaskMs: worst((record) => record.longTasks.maxMs),
    requests: medianRun?.requests,
    browserCpuSeconds: pick((record) => record.browserCpuSeconds),
    serverCpuSeconds: pick((record) => record.serverCpuSeconds),
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

/** Median; for an even count, the mean of the two middle values. NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}
