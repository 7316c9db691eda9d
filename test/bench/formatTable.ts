import { contenderById, type ContenderId } from './contenders.js';
import { memoryLimit } from './checkTargets.js';
import type { Summary } from './summarise.js';

const MiB = 1024 * 1024;
const PEERS: readonly ContenderId[] = ['tus-js', 'tus-js-8mib', 'uppy', 'uppy-8mib', 'uppy-s3'];
/** The process kinds whose RSS growth the wire table shows (the rest are small and steady). */
const KINDS = ['renderer', 'browser', 'utility:network'] as const;

/**
 * Two Markdown tables per scenario: the figures the targets judge (medians, ratios to each peer,
 * memory, main thread), then what each client asked of the server (requests, sizes, timing, CPU).
 */
export function formatTable(title: string, summaries: readonly Summary[]): string {
  const peers = PEERS.filter((peer) => summaries.some((summary) => summary.contender === peer && summary.runs > 0));
  const label = (summary: Summary): string => contenderById(summary.contender).label;
  const shaped = summaries.some((summary) => summary.utilisation !== undefined);
  const figures = table(
    ['contender', 'runs', 'MB/s', 'range', ...(shaped ? ['% of link'] : []), ...peers.map((peer) => `vs ${peer}`), 'mem growth MiB', 'page heap growth MiB (worker)', 'peak in-flight MiB', 'buffers (after warm-up)', 'long tasks (longest ms)', 'notifications/s'],
    summaries.map((summary) => [
      label(summary),
      summary.failures > 0 ? `${summary.runs} (${summary.failures} FAILED)` : String(summary.runs),
      fixed(summary.mbps, 1),
      summary.runs > 0 ? `${fixed(summary.mbpsRange[0], 0)}–${fixed(summary.mbpsRange[1], 0)}` : '',
      ...(shaped ? [summary.utilisation === undefined ? '' : fixed(100 * summary.utilisation, 1)] : []),
      ...peers.map((peer) => ratio(summary, summaries.find((other) => other.contender === peer))),
      fixed(summary.peakGrowthBytes / MiB, 0),
      summary.pageMemoryGrowthBytes === undefined ? '' : `${fixed(summary.pageMemoryGrowthBytes / MiB, 1)} (${fixed((summary.pageWorkerBytes ?? 0) / MiB, 1)})`,
      summary.lean ? fixed(summary.lean.worstPeakInFlightBytes / MiB, 1) : '',
      summary.lean ? `${summary.lean.buffersCreated} (${summary.lean.worstBuffersAfterWarmup})` : '',
      summary.runs > 0 ? `${summary.longTaskCount} (${fixed(summary.worstLongTaskMs, 0)})` : '',
      summary.lean ? fixed(summary.lean.notificationsPerSecond, 1) : '',
    ]),
  );
  const wire = table(
    ['contender', 'requests', 'MiB per body (median)', 'open at once', 'server idle %', 'ms per request (median)', 'CPU s browser / server', 'CPU s/GiB browser / server', `RSS growth MiB ${KINDS.join(' / ')}`],
    summaries.map((summary) => [
      label(summary),
      requestCounts(summary),
      summary.requests ? fixed(summary.requests.bodyBytes.median / MiB, 2) : '',
      summary.requests ? String(summary.requests.maxConcurrent) : '',
      summary.requests && summary.requests.spanMs > 0 ? fixed((100 * summary.requests.idleMs) / summary.requests.spanMs, 0) : '',
      requestTimes(summary),
      summary.runs > 0 ? `${fixed(summary.browserCpuSeconds, 1)} / ${fixed(summary.serverCpuSeconds, 1)}` : '',
      summary.runs > 0 ? `${fixed(summary.browserCpuPerGiB, 1)} / ${fixed(summary.serverCpuPerGiB, 1)}` : '',
      summary.runs > 0 ? KINDS.map((kind) => fixed((summary.growthByKind[kind] ?? 0) / MiB, 0)).join(' / ') : '',
    ]),
  );
  return [`### ${title}`, figures, wire].join('\n\n');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function ratio(summary: Summary, peer: Summary | undefined): string {
  if (!peer || !(peer.mbps > 0) || !(summary.mbps > 0)) return '';
  return `${(summary.mbps / peer.mbps).toFixed(2)}x`;
}

function requestCounts(summary: Summary): string {
  const methods = summary.requests?.byMethod ?? {};
  return ['POST', 'PATCH', 'HEAD', 'OPTIONS']
    .filter((method) => methods[method])
    .map((method) => `${methods[method]} ${method}`)
    .join(', ');
}

function requestTimes(summary: Summary): string {
  const times = summary.requests?.medianMsByMethod ?? {};
  return ['POST', 'PATCH']
    .filter((method) => times[method] !== undefined)
    .map((method) => `${method} ${fixed(times[method] ?? Number.NaN, 0)}`)
    .join(', ');
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function line(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/**
 * Memory truth on the large file: each contender's browser growth beside the limit the target sets
 * for lean-upload (tus-js-client's growth + the reported peak in flight + 16 MiB), split by where it
 * shows (renderer, browser, network process; JS heaps of page and worker).
 */
export function formatMemoryTruth(summaries: readonly Summary[]): string {
  const peers = summaries.filter((summary) => summary.contender === 'tus-js' || summary.contender === 'tus-js-8mib');
  const peerGrowth = peers.length > 0 ? Math.min(...peers.map((peer) => peer.peakNonFileGrowthBytes)) : Number.NaN;
  const rows = summaries.map((summary) => {
    const limit = summary.lean ? memoryLimit(peerGrowth, summary.lean.worstPeakInFlightBytes) : Number.NaN;
    return [
      contenderById(summary.contender).label,
      fixed(summary.peakGrowthBytes / MiB, 0),
      fixed(summary.peakNonFileGrowthBytes / MiB, 0),
      summary.lean ? fixed(summary.lean.worstPeakInFlightBytes / MiB, 1) : '',
      Number.isFinite(limit) ? fixed(limit / MiB, 0) : '',
      Number.isFinite(limit) ? fixed((summary.peakNonFileGrowthBytes - limit) / MiB, 0) : '',
      ...KINDS.map((kind) => fixed((summary.growthByKind[kind] ?? 0) / MiB, 0)),
      summary.pageMemoryGrowthBytes === undefined ? '' : fixed(summary.pageMemoryGrowthBytes / MiB, 1),
      summary.pageWorkerBytes === undefined ? '' : fixed(summary.pageWorkerBytes / MiB, 1),
    ];
  });
  const header = ['contender', 'RSS growth MiB', 'without file-backed pages MiB', 'peak in-flight MiB', 'limit MiB (tus-js growth + in-flight + 16, without file pages)', 'over the limit MiB', ...KINDS.map((kind) => `${kind} MiB`), 'page heap growth MiB', 'worker heap MiB'];
  return [`### Memory truth (loopback, large file; tus-js-client's growth without file-backed pages: ${fixed(peerGrowth / MiB, 0)} MiB)`, table(header, rows)].join('\n\n');
}
