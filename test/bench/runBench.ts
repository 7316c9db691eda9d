import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBenchConfig, type BenchConfig } from './readBenchConfig.js';
import { buildPages } from './buildPages.js';
import { checkTargets, formatChecks } from './checkTargets.js';
import { contenderById, type Contender } from './contenders.js';
import { createTusRoutes, type TusRoute } from './createTusRoutes.js';
import { formatTable } from './formatTable.js';
import { generateFiles, type SourceFile } from './generateFiles.js';
import { runOnce } from './runOnce.js';
import { startBenchServer, type BenchServer } from './startBenchServer.js';
import { summarise, type RunRecord, type ScenarioId, type Summary } from './summarise.js';
import { clearUploads } from './verifyUploads.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, '.artifacts/bench');
const MiB = 1024 * 1024;

type Conditions = ReturnType<typeof machineConditions> & { loadavgAfter: number[]; minutes: number };

export interface Scenario {
  id: ScenarioId;
  label: string;
  files: SourceFile[];
}

/** Runs every contender on every scenario, round-robin, and reports. Returns the exit code. */
export async function runBench(): Promise<number> {
  const startedAt = Date.now();
  const config = readBenchConfig();
  const contenders = config.contenders.map(contenderById);
  const conditions = machineConditions();
  log(`bench: ${config.rounds} round(s), ${contenders.length} contender(s); load ${conditions.loadavg.join(' ')}`);

  const scenarios = prepareScenarios(config);
  const building = Date.now();
  await buildPages(path.join(artifacts, 'pages'), contenders, !config.profile);
  log(`pages built in ${((Date.now() - building) / 1000).toFixed(1)} s`);
  const routes = createTusRoutes(path.join(root, '.uploads/bench'));
  for (const route of routes) await clearUploads(route.directory);
  const server = await startBenchServer(path.join(artifacts, 'pages'), routes);
  let records: RunRecord[];
  try {
    records = await runRounds(config, contenders, scenarios, server, routes);
  } finally {
    await server.close();
  }
  const minutes = (Date.now() - startedAt) / 60_000;
  return report(config, scenarios, contenders, records, { ...conditions, loadavgAfter: os.loadavg().map(round2), minutes: round2(minutes) });
}

function prepareScenarios(config: BenchConfig): Scenario[] {
  const started = Date.now();
  const make: Record<ScenarioId, () => Scenario> = {
    big: () => ({ id: 'big', label: `1 file of ${config.bigFileMiB} MiB`, files: generateFiles(`big-${config.bigFileMiB}MiB`, 1, config.bigFileMiB * MiB) }),
    small: () => ({ id: 'small', label: `${config.smallFiles} files of 1 MiB`, files: generateFiles(`small-${config.smallFiles}x1MiB`, config.smallFiles, MiB) }),
  };
  const scenarios = config.scenarios.map((id) => make[id]());
  log(`files ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${path.dirname(scenarios[0]?.files[0]?.path ?? '')})`);
  return scenarios;
}

async function runRounds(
  config: BenchConfig,
  contenders: readonly Contender[],
  scenarios: readonly Scenario[],
  server: BenchServer,
  routes: readonly TusRoute[],
): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  const broken = new Set<string>();
  for (let round = 1; round <= config.rounds; round += 1) {
    // Rotate the order each round so no contender always runs first (cold caches) or last.
    const shift = (round - 1) % contenders.length;
    const order = [...contenders.slice(shift), ...contenders.slice(0, shift)];
    for (const scenario of scenarios) {
      for (const contender of order) {
        const key = `${scenario.id}/${contender.id}`;
        if (broken.has(key)) continue; // one failure is enough evidence; do not wait on it again
        const started = Date.now();
        const profile = config.profile ? path.join(artifacts, `${scenario.id}-${contender.id}-${round}.cpuprofile`) : undefined;
        const record = await runOnce(server, routes, contender, scenario, round, profile);
        records.push(record);
        if (!record.ok) broken.add(key);
        log(`${describeRun(record, config.rounds)}  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        for (const hot of record.hotFunctions?.slice(0, 8) ?? []) log(`      ${String(hot.selfMs).padStart(6)} ms  ${hot.name}`);
      }
    }
  }
  return records;
}

function describeRun(record: RunRecord, rounds: number): string {
  const head = `[${record.round}/${rounds}] ${record.scenario.padEnd(5)} ${record.contender.padEnd(12)}`;
  if (!record.ok) return `${head} FAILED: ${record.error ?? 'unknown error'}`;
  const patches = record.requests.byMethod.PATCH ?? 0;
  return `${head} ${record.mbps.toFixed(1).padStart(6)} MB/s  growth ${(record.peakGrowthBytes / MiB).toFixed(0)} MiB  long tasks ${record.longTasks.count}  ${patches} PATCH  verified`;
}

function report(
  config: BenchConfig,
  scenarios: readonly Scenario[],
  contenders: readonly Contender[],
  records: readonly RunRecord[],
  conditions: Conditions,
): number {
  const summaries: Summary[] = scenarios.flatMap((scenario) =>
    contenders.flatMap((contender) => summarise(records, scenario.id, contender.id) ?? []),
  );
  const labelOf = (id: ScenarioId): string => scenarios.find((scenario) => scenario.id === id)?.label ?? id;
  const labels = { big: labelOf('big'), small: labelOf('small') };
  const checks = checkTargets(summaries, labels);
  const tables = scenarios.map((scenario) =>
    formatTable(`${scenario.label}, median of ${config.rounds} round(s)`, summaries.filter((summary) => summary.scenario === scenario.id)),
  );
  const failures = records.filter((record) => !record.ok);
  const markdown = [
    describeMachine(conditions, records[0]?.browserVersion ?? 'unknown'),
    ...tables,
    '',
    'MB/s = 10^6 bytes/s from the change event to the last acknowledgement; memory growth = peak summed RSS of the',
    "browser's processes minus the baseline before the upload; buffers = created (created after warm-up).",
    '',
    '```',
    formatChecks(checks),
    '```',
  ].join('\n\n');
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(path.join(artifacts, 'results.md'), `${markdown}\n`);
  writeFileSync(path.join(artifacts, 'results.json'), JSON.stringify({ config, conditions, summaries, checks, records }, null, 2));
  log(`\n${tables.join('\n\n')}\n\n${formatChecks(checks)}\n`);
  log(describeMachine(conditions, records[0]?.browserVersion ?? 'unknown'));
  log(`written to ${path.relative(root, artifacts)}/results.{md,json}`);
  if (failures.length === 0) return 0;
  log(`\nFAILED: ${failures.length} run(s) failed or stored wrong bytes:`);
  for (const failure of failures) log(`  ${failure.scenario} ${failure.contender} round ${failure.round}: ${failure.error ?? ''}`);
  return 1;
}

function describeMachine(conditions: Conditions, browser: string): string {
  const { cpus, cpuModel, totalMemMiB, node, loadavg, loadavgAfter, minutes, date } = conditions;
  return (
    `${date}: ${cpus} x ${cpuModel}, ${(totalMemMiB / 1024).toFixed(1)} GiB, Node ${node}, Chromium ${browser}; ` +
    `load average ${loadavg.join('/')} before, ${loadavgAfter.join('/')} after; ${minutes} min in all.`
  );
}

function machineConditions() {
  return {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemMiB: Math.round(os.totalmem() / MiB),
    loadavg: os.loadavg().map(round2),
    node: process.version,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
