import type { ContenderId } from './contenders.js';
import type { ScenarioId, Summary } from './summarise.js';

const MiB = 1024 * 1024;

export interface TargetCheck {
  verdict: 'PASS' | 'MISS' | 'SKIP';
  target: string;
  detail: string;
}

type Find = (scenario: ScenarioId, contender: ContenderId) => Summary | undefined;

/** DESIGN.md's targets, judged on the medians (throughput) or the worst round ("never" figures). */
export function checkTargets(summaries: readonly Summary[], labels: Record<ScenarioId, string>): TargetCheck[] {
  const find: Find = (scenario, contender) =>
    summaries.find((summary) => summary.scenario === scenario && summary.contender === contender && summary.runs > 0);
  const big = labels.big;
  return [
    throughput(find, 'big', 'lean', ['tus-js', 'tus-js-8mib'], 1.0, `${big}: lean-upload >= 1.0x best tus-js-client config`),
    throughput(find, 'big', 'lean-sha256', ['tus-js-8mib'], 1.0, `${big}: lean-upload + SHA-256 >= 1.0x tus-js-client 8 MiB`),
    throughput(find, 'small', 'lean', ['uppy', 'uppy-8mib'], 1.5, `${labels.small}: lean-upload >= 1.5x best Uppy config`),
    ...(['lean', 'lean-sha256'] as const).flatMap((id) => leanChecks(find, id, big)),
  ];
}

function throughput(find: Find, scenario: ScenarioId, id: ContenderId, peers: ContenderId[], factor: number, target: string): TargetCheck {
  const ours = find(scenario, id);
  const measured = peers.flatMap((peer) => find(scenario, peer) ?? []);
  if (!ours || measured.length === 0) return { verdict: 'SKIP', target, detail: 'not measured' };
  const best = measured.reduce((a, b) => (b.mbps > a.mbps ? b : a));
  const ratio = ours.mbps / best.mbps;
  return {
    verdict: ratio >= factor ? 'PASS' : 'MISS',
    target,
    detail: `${ours.mbps.toFixed(1)} vs ${best.contender} ${best.mbps.toFixed(1)} MB/s = ${ratio.toFixed(2)}x`,
  };
}

function leanChecks(find: Find, id: ContenderId, big: string): TargetCheck[] {
  const ours = find('big', id);
  const name = `${big}, ${id}`;
  if (!ours?.lean) return [{ verdict: 'SKIP', target: `${name}: memory, main thread, pool`, detail: 'not measured' }];
  const { lean } = ours;
  const growth = ours.peakGrowthBytes;
  const peerGrowth = Math.min(...(['tus-js', 'tus-js-8mib'] as const).flatMap((peer) => find('big', peer)?.peakGrowthBytes ?? []));
  const aimLimit = peerGrowth + lean.worstPeakInFlightBytes + 16 * MiB;
  return [
    judge(lean.worstPeakInFlightBytes <= lean.budgetBytes, `${name}: reported in-flight <= memoryBudget`, `${mib(lean.worstPeakInFlightBytes)} of ${mib(lean.budgetBytes)}`),
    judge(growth <= lean.budgetBytes + 64 * MiB, `${name}: browser memory growth <= budget + 64 MiB`, `${mib(growth)} <= ${mib(lean.budgetBytes + 64 * MiB)}`),
    Number.isFinite(peerGrowth)
      ? judge(growth <= aimLimit, `${name} (aim): growth <= tus-js-client growth + peak in-flight + 16 MiB`, `${mib(growth)} <= ${mib(aimLimit)}`)
      : { verdict: 'SKIP', target: `${name} (aim): growth vs tus-js-client`, detail: 'tus-js-client not measured' },
    judge(ours.worstLongTaskCount === 0, `${name}: no main-thread task over 50 ms`, `${ours.worstLongTaskCount} in the worst round, longest ${ours.worstLongTaskMs.toFixed(0)} ms`),
    judge(lean.worstBuffersAfterWarmup === 0, `${name}: no buffer created after warm-up`, `${lean.worstBuffersAfterWarmup} after warm-up, ${lean.buffersCreated} in all`),
    judge(lean.leaksDetected === 0, `${name}: no leaked lease`, `${lean.leaksDetected} detected`),
  ];
}

function judge(pass: boolean, target: string, detail: string): TargetCheck {
  return { verdict: pass ? 'PASS' : 'MISS', target, detail };
}

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

export function formatChecks(checks: readonly TargetCheck[]): string {
  return checks.map((check) => `${check.verdict.padEnd(4)}  ${check.target}: ${check.detail}`).join('\n');
}
