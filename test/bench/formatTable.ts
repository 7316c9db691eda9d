import { contenderById, type ContenderId } from './contenders.js';
import type { Summary } from './summarise.js';

const MiB = 1024 * 1024;
const PEERS: readonly ContenderId[] = ['tus-js', 'tus-js-8mib', 'uppy', 'uppy-8mib'];

/**
 * Two Markdown tables per scenario: the figures the targets judge (medians, ratios to each peer,
 * memory, main thread), then what each client asked of the server (requests, sizes, timing, CPU).
 */
export function formatTable(title: string, summaries: readonly Summary[]): string {
  const peers = PEERS.filter((peer) => summaries.some((summary) => summary.contender === peer && summary.runs > 0));
  const label = (summary: Summary): string => contenderById(summary.contender).label;
  const figures = table(
    ['contender', 'runs', 'MB/s', 'range', ...peers.map((peer) => `vs ${peer}`), 'mem growth MiB', 'peak in-flight MiB', 'buffers (after warm-up)', 'long tasks (longest ms)', 'notifications/s'],
    summaries.map((summary) => [
      label(summary),
      summary.failures > 0 ? `${summary.runs} (${summary.failures} FAILED)` : String(summary.runs),
      fixed(summary.mbps, 1),
      summary.runs > 0 ? `${fixed(summary.mbpsRange[0], 0)}–${fixed(summary.mbpsRange[1], 0)}` : '',
      ...peers.map((peer) => ratio(summary, summaries.find((other) => other.contender === peer))),
      fixed(summary.peakGrowthBytes / MiB, 0),
      summary.lean ? fixed(summary.lean.worstPeakInFlightBytes / MiB, 1) : '',
      summary.lean ? `${summary.lean.buffersCreated} (${summary.lean.worstBuffersAfterWarmup})` : '',
      summary.runs > 0 ? `${summary.longTaskCount} (${fixed(summary.worstLongTaskMs, 0)})` : '',
      summary.lean ? fixed(summary.lean.notificationsPerSecond, 1) : '',
    ]),
  );
  const wire = table(
    ['contender', 'requests', 'MiB per body (median)', 'open at once', 'server idle %', 'ms per request (median)', 'CPU s browser / server'],
    summaries.map((summary) => [
      label(summary),
      requestCounts(summary),
      summary.requests ? fixed(summary.requests.bodyBytes.median / MiB, 2) : '',
      summary.requests ? String(summary.requests.maxConcurrent) : '',
      summary.requests && summary.requests.spanMs > 0 ? fixed((100 * summary.requests.idleMs) / summary.requests.spanMs, 0) : '',
      requestTimes(summary),
      summary.runs > 0 ? `${fixed(summary.browserCpuSeconds, 1)} / ${fixed(summary.serverCpuSeconds, 1)}` : '',
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
