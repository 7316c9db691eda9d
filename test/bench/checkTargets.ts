import type { ContenderId } from './contenders.js';
import type { NetworkId } from './networks.js';
import type { ScenarioId, Summary } from './summarise.js';

const MiB = 1024 * 1024;
const SHAPED: readonly NetworkId[] = ['fast', 'slow'];
const TUS_PEERS: readonly ContenderId[] = ['tus-js', 'tus-js-8mib', 'uppy', 'uppy-8mib'];

export interface TargetCheck {
  verdict: 'PASS' | 'MISS' | 'SKIP';
  target: string;
  detail: string;
}

type Find = (scenario: ScenarioId, contender: ContenderId) => Summary | undefined;
/** Names a scenario on a link, e.g. "loopback, 1 file of 1024 MiB". */
export type LabelOf = (network: NetworkId, scenario: ScenarioId) => string;

/**
 * The targets of test/bench/README.md, judged on the medians (throughput, utilisation, CPU) or the
 * worst round ("never" figures). A target whose contenders did not run is SKIP, never PASS.
 */
export function checkTargets(summaries: readonly Summary[], labelOf: LabelOf): TargetCheck[] {
  const on = (network: NetworkId): Find => (scenario, contender) =>
    summaries.find((s) => s.network === network && s.scenario === scenario && s.contender === contender && s.runs > 0);
  const loop = on('loopback');
  const big = labelOf('loopback', 'big');
  const checks = [
    throughput(loop, 'big', 'lean', TUS_PEERS, 1.0, `${big}: lean-upload >= 1.0x the fastest peer`),
    throughput(loop, 'big', 'lean-sha256', ['tus-js-8mib'], 0.8, `${big}: lean-upload + checksum >= 0.8x tus-js-client 8 MiB`),
    cpuPerGiB(loop, 'lean-sha256', 'tus-js-8mib', 1.5, `${big}: lean-upload + checksum browser CPU/GiB <= 1.5x tus-js-client 8 MiB's`),
    throughput(loop, 'small', 'lean', ['uppy', 'uppy-8mib'], 1.5, `${labelOf('loopback', 'small')}: lean-upload >= 1.5x the best Uppy (round 1)`),
    throughput(loop, 'big', 'lean-s3', ['uppy-s3'], 1.2, `${big}: lean-upload S3 (checksum 'auto') >= 1.2x @uppy/aws-s3`),
    ...(['lean', 'lean-sha256'] as const).flatMap((id) => leanChecks(loop, id, big)),
  ];
  for (const network of SHAPED) {
    const find = on(network);
    const label = (scenario: ScenarioId): string => labelOf(network, scenario);
    checks.push(
      utilisation(find, 'big', 'lean', 0.97, `${label('big')}: lean-upload (tus) >= 97% of the link`),
      utilisation(find, 'big', 'lean-s3', 0.97, `${label('big')}: lean-upload S3 >= 97% of the link`),
      utilisation(find, 'small', 'lean', 0.97, `${label('small')}: lean-upload >= 97% of the link`),
      throughput(find, 'tiny', 'lean', ['uppy', 'uppy-8mib'], 2.0, `${label('tiny')}: lean-upload >= 2x the best Uppy`),
      throughput(find, 'big', 'lean-s3', ['uppy-s3'], 1.0, `${label('big')}: lean-upload S3 (checksum 'auto') >= 1.0x @uppy/aws-s3`),
    );
  }
  return checks;
}

function throughput(find: Find, scenario: ScenarioId, id: ContenderId, peers: readonly ContenderId[], factor: number, target: string): TargetCheck {
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

function utilisation(find: Find, scenario: ScenarioId, id: ContenderId, share: number, target: string): TargetCheck {
  const ours = find(scenario, id);
  if (ours?.utilisation === undefined) return { verdict: 'SKIP', target, detail: 'not measured' };
  const used = ours.utilisation;
  return judge(used >= share, target, `${(100 * used).toFixed(1)}% (${ours.mbps.toFixed(2)} MB/s) = ${(used / share).toFixed(2)}x the aim`);
}

function cpuPerGiB(find: Find, id: ContenderId, peer: ContenderId, factor: number, target: string): TargetCheck {
  const ours = find('big', id);
  const theirs = find('big', peer);
  if (!ours || !theirs || !(theirs.browserCpuPerGiB > 0)) return { verdict: 'SKIP', target, detail: 'not measured' };
  const ratio = ours.browserCpuPerGiB / theirs.browserCpuPerGiB;
  return judge(ratio <= factor, target, `${ours.browserCpuPerGiB.toFixed(1)} vs ${theirs.browserCpuPerGiB.toFixed(1)} s/GiB = ${ratio.toFixed(2)}x`);
}

function leanChecks(find: Find, id: ContenderId, big: string): TargetCheck[] {
  const ours = find('big', id);
  const name = `${big}, ${id}`;
  if (!ours?.lean) return [{ verdict: 'SKIP', target: `${name}: memory, main thread, pool`, detail: 'not measured' }];
  const { lean } = ours;
  const growth = ours.peakGrowthBytes;
  const peers = (['tus-js', 'tus-js-8mib'] as const).flatMap((peer) => find('big', peer) ?? []);
  // Judged without file-backed pages: the optimizing compilers' code, paged in from Chromium's binary
  // by the first hot loop (the CRC's), is shared and clean, not memory the upload holds (README). The
  // RSS figures are printed beside it.
  const own = ours.peakNonFileGrowthBytes;
  const limit = memoryLimit(Math.min(...peers.map((peer) => peer.peakNonFileGrowthBytes)), lean.worstPeakInFlightBytes);
  const rssLimit = memoryLimit(Math.min(...peers.map((peer) => peer.peakGrowthBytes)), lean.worstPeakInFlightBytes);
  return [
    judge(lean.worstPeakInFlightBytes <= lean.budgetBytes, `${name}: reported in-flight <= memoryBudget`, `${mib(lean.worstPeakInFlightBytes)} of ${mib(lean.budgetBytes)}`),
    judge(growth <= lean.budgetBytes + 64 * MiB, `${name}: browser memory growth <= budget + 64 MiB`, `${mib(growth)} <= ${mib(lean.budgetBytes + 64 * MiB)}`),
    peers.length > 0
      ? judge(
          own <= limit,
          `${name}: growth <= tus-js-client growth + peak in-flight + 16 MiB (without file-backed pages)`,
          `${mib(own)} <= ${mib(limit)} = ${(own / limit).toFixed(2)}x; RSS with them ${mib(growth)} vs ${mib(rssLimit)} = ${(growth / rssLimit).toFixed(2)}x`,
        )
      : { verdict: 'SKIP', target: `${name}: growth vs tus-js-client`, detail: 'tus-js-client not measured' },
    judge(ours.worstLongTaskCount === 0, `${name}: no main-thread task over 50 ms`, `${ours.worstLongTaskCount} in the worst round, longest ${ours.worstLongTaskMs.toFixed(0)} ms`),
    judge(lean.worstBuffersAfterWarmup === 0, `${name}: no buffer created after warm-up`, `${lean.worstBuffersAfterWarmup} after warm-up, ${lean.buffersCreated} in all`),
    judge(lean.leaksDetected === 0, `${name}: no leaked lease`, `${lean.leaksDetected} detected`),
  ];
}

/** The memory target's limit: tus-js-client's growth in the same run + lean-upload's peak in flight + 16 MiB. */
export function memoryLimit(peerGrowthBytes: number, peakInFlightBytes: number): number {
  return peerGrowthBytes + peakInFlightBytes + 16 * MiB;
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
