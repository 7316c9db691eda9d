import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTargets, formatChecks, type LabelOf } from './checkTargets.js';
import type { Contender } from './contenders.js';
import { formatMemoryTruth, formatTable } from './formatTable.js';
import { NETWORKS } from './networks.js';
import type { BenchConfig } from './readBenchConfig.js';
import type { machineConditions } from './runBench.js';
import { summarise, type RunRecord, type ScenarioId, type Summary } from './summarise.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const artifacts = path.join(root, '.artifacts/bench');
const README = path.join(here, 'README.md');
const MiB = 1024 * 1024;
const SCENARIOS: readonly ScenarioId[] = ['big', 'small', 'tiny'];

export type Conditions = ReturnType<typeof machineConditions> & { loadavgAfter: number[]; minutes: number; s3Skipped: string | undefined };

export interface ReportInput {
  config: BenchConfig;
  labels: LabelOf;
  contenders: readonly Contender[];
  records: readonly RunRecord[];
  conditions: Conditions;
}

/** Tables per link and workload, the memory comparison, the target verdicts; files; the exit code. */
export function report({ config, labels, contenders, records, conditions }: ReportInput): number {
  const summaries: Summary[] = config.networks.flatMap((network) =>
    SCENARIOS.flatMap((scenario) => contenders.flatMap((contender) => summarise(records, network, scenario, contender.id) ?? [])),
  );
  const checks = checkTargets(summaries, labels);
  const tables = config.networks.flatMap((network) =>
    SCENARIOS.filter((scenario) => summaries.some((summary) => summary.network === network && summary.scenario === scenario)).map((scenario) => {
      const rounds = network === 'loopback' ? config.rounds : config.shapedRounds;
      const rows = summaries.filter((summary) => summary.network === network && summary.scenario === scenario);
      return formatTable(`${labels(network, scenario)}, median of ${rounds} round(s)`, rows);
    }),
  );
  const memory = formatMemoryTruth(summaries.filter((summary) => summary.network === 'loopback' && summary.scenario === 'big'));
  const conditionsLine = describeMachine(conditions, records[0]?.browserVersion ?? 'unknown', config);
  const markdown = [conditionsLine, ...tables, memory, LEGEND, '```', formatChecks(checks), '```'].join('\n\n');
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(path.join(artifacts, 'results.md'), `${markdown}\n`);
  writeFileSync(path.join(artifacts, 'results.json'), JSON.stringify({ config, conditions, summaries, checks, records }, null, 2));
  log(`\n${tables.join('\n\n')}\n\n${memory}\n\n${formatChecks(checks)}\n`);
  log(conditionsLine);
  if (conditions.s3Skipped) log(`S3 skipped: ${conditions.s3Skipped}`);
  log(`written to ${path.relative(root, artifacts)}/results.{md,json}`);
  if (!config.quick && config.networks.length === NETWORKS.length) updateReadme(markdown);
  const failures = records.filter((record) => !record.ok);
  if (failures.length === 0) return 0;
  log(`\nFAILED: ${failures.length} run(s) failed or stored wrong bytes:`);
  for (const failure of failures) log(`  ${failure.network} ${failure.scenario} ${failure.contender} round ${failure.round}: ${failure.error ?? ''}`);
  return 1;
}

const LEGEND = [
  'MB/s = 10^6 bytes/s from the change event to the last acknowledgement; % of link = MB/s over the shaped cap;',
  "mem growth = peak summed RSS of the browser's processes minus the baseline before the upload (the memory target",
  'judges it without file-backed pages: RSS minus RssFile, the memory truth table); page heap growth =',
  'performance.measureUserAgentSpecificMemory() peak minus baseline (JS heaps of page and worker; the worker part in',
  'brackets); buffers = created (created after warm-up); CPU s/GiB = CPU seconds of the browser tree and of the Node',
  'process (tus server, signing backends and, on shaped links, the shaping proxy) per GiB uploaded.',
].join('\n');

/** Replaces the block between the README's result markers: a full run keeps the table current. */
function updateReadme(markdown: string): void {
  const start = '<!-- bench:results -->';
  const end = '<!-- /bench:results -->';
  const text = readFileSync(README, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) return;
  writeFileSync(README, `${text.slice(0, from + start.length)}\n\n${markdown}\n\n${text.slice(to)}`);
  log(`README table updated: ${path.relative(root, README)}`);
}

export function describeRun(record: RunRecord, rounds: number): string {
  const head = `[${record.round}/${rounds}] ${record.network.padEnd(8)} ${record.scenario.padEnd(5)} ${record.contender.padEnd(12)}`;
  if (!record.ok) return `${head} FAILED: ${record.error ?? 'unknown error'}`;
  const link = record.linkBytesPerSecond ? `  ${((100 * record.mbps * 1e6) / record.linkBytesPerSecond).toFixed(1)}% of link` : '';
  const pageGrowth = record.pageMemory ? (record.pageMemory.peakBytes - record.pageMemory.baselineBytes) / MiB : undefined;
  const page = pageGrowth === undefined ? '' : `  page heap ${pageGrowth >= 0 ? '+' : ''}${pageGrowth.toFixed(0)} MiB`;
  const requests = Object.entries(record.requests.byMethod).map(([method, count]) => `${count} ${method}`).join(', ');
  return `${head} ${record.mbps.toFixed(1).padStart(6)} MB/s${link}  growth ${(record.peakGrowthBytes / MiB).toFixed(0)} MiB (${(record.peakNonFileGrowthBytes / MiB).toFixed(0)} w/o file pages)${page}  long tasks ${record.longTasks.count}  ${requests}  verified`;
}

function describeMachine(conditions: Conditions, browser: string, config: BenchConfig): string {
  const { cpus, cpuModel, totalMemMiB, node, loadavg, loadavgAfter, minutes, date } = conditions;
  return (
    `${date}${config.quick ? ' (BENCH_QUICK)' : ''}: ${cpus} x ${cpuModel}, ${(totalMemMiB / 1024).toFixed(1)} GiB, Node ${node}, Chromium ${browser}; ` +
    `load average ${loadavg.join('/')} before, ${loadavgAfter.join('/')} after; ${minutes} min in all; ` +
    `${config.rounds} round(s) on loopback, ${config.shapedRounds} on shaped links.`
  );
}

export function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
