import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBenchConfig, type BenchConfig } from './readBenchConfig.js';
import { buildPages } from './buildPages.js';
import type { LabelOf } from './checkTargets.js';
import { contenderById, type Contender } from './contenders.js';
import { createTusRoutes, type TusRoute } from './createTusRoutes.js';
import { leanS3Routes } from './leanS3Routes.js';
import { networkById, type Network } from './networks.js';
import { ShapedLink } from './ShapingProxy.js';
import { startS3Side, type S3Side } from './s3Side.js';
import { generateFiles, type SourceFile } from './generateFiles.js';
import { runOnce, type RunPlace } from './runOnce.js';
import { startBenchServer, type BenchServer } from './startBenchServer.js';
import { describeRun, log, report, type Conditions } from './report.js';
import type { RunRecord, ScenarioId } from './summarise.js';
import { clearUploads } from './verifyUploads.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, '.artifacts/bench');
export const benchPaths = { root, artifacts };
const MiB = 1024 * 1024;


export interface Scenario {
  id: ScenarioId;
  label: string;
  files: SourceFile[];
}

/** Runs every contender on every scenario and link, round-robin, and reports. Returns the exit code. */
export async function runBench(): Promise<number> {
  const startedAt = Date.now();
  const config = readBenchConfig();
  const conditions = machineConditions();
  let contenders = config.contenders.map(contenderById);
  log(`bench${config.quick ? ' (BENCH_QUICK)' : ''}: ${config.rounds} round(s) on loopback, ${config.shapedRounds} on shaped links; load ${conditions.loadavg.join(' ')}`);

  const scenarios = prepareScenarios(config);
  const building = Date.now();
  await buildPages(path.join(artifacts, 'pages'), contenders, !config.profile);
  log(`pages built in ${((Date.now() - building) / 1000).toFixed(1)} s`);
  const routes = createTusRoutes(path.join(root, '.uploads/bench'));
  for (const route of routes) await clearUploads(route.directory);
  const s3 = contenders.some((contender) => contender.server === 's3') ? await startS3Side(root, leanS3Routes()) : 'no S3 contender chosen';
  const skipped = typeof s3 === 'string' ? s3 : s3.leanSkipped;
  if (typeof s3 === 'string') {
    log(`S3 scenario skipped: ${s3}`);
    contenders = contenders.filter((contender) => contender.server !== 's3');
  } else if (s3.leanSkipped) {
    log(`lean-s3 skipped: ${s3.leanSkipped}`);
    contenders = contenders.filter((contender) => contender.id !== 'lean-s3');
  }
  const server = await startBenchServer(path.join(artifacts, 'pages'), routes);
  let records: RunRecord[] = [];
  try {
    if (typeof s3 !== 'string') await s3.clear();
    for (const id of config.networks) {
      records = records.concat(await runNetwork(networkById(id), config, contenders, scenarios, server, routes, typeof s3 === 'string' ? undefined : s3));
    }
  } finally {
    await server.close();
    if (typeof s3 !== 'string') await s3.close();
  }
  const minutes = (Date.now() - startedAt) / 60_000;
  const finished = { ...conditions, loadavgAfter: os.loadavg().map(round2), minutes: round2(minutes), s3Skipped: skipped };
  return report({ config, labels: labelsOf(scenarios), contenders, records, conditions: finished });
}

type ScenarioSet = Record<'loopback' | 'shaped', Scenario[]>;

function labelsOf(scenarios: ScenarioSet): LabelOf {
  return (network, scenario) => {
    const found = scenarios[network === 'loopback' ? 'loopback' : 'shaped'].find((candidate) => candidate.id === scenario);
    return `${networkById(network).label}, ${found?.label ?? scenario}`;
  };
}

/** The files of each workload; the large file is smaller on shaped links, so each run stays under a minute. */
function prepareScenarios(config: BenchConfig): ScenarioSet {
  const started = Date.now();
  const big = (mib: number): Scenario => ({ id: 'big', label: `1 file of ${mib} MiB`, files: generateFiles(`big-${mib}MiB`, 1, mib * MiB) });
  const make: Record<Exclude<ScenarioId, 'big'>, () => Scenario> = {
    small: () => ({ id: 'small', label: `${config.smallFiles} files of 1 MiB`, files: generateFiles(`small-${config.smallFiles}x1MiB`, config.smallFiles, MiB) }),
    tiny: () => ({ id: 'tiny', label: `${config.tinyFiles} files of 16 KiB`, files: generateFiles(`tiny-${config.tinyFiles}x16KiB`, config.tinyFiles, 16 * 1024) }),
  };
  const others = config.scenarios.filter((id): id is Exclude<ScenarioId, 'big'> => id !== 'big').map((id) => make[id]());
  const withBig = (mib: number): Scenario[] => (config.scenarios.includes('big') ? [big(mib), ...others] : others);
  const set = { loopback: withBig(config.bigFileMiB), shaped: withBig(config.shapedBigFileMiB) };
  log(`files ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${path.join(os.tmpdir(), 'lean-upload-bench')})`);
  return set;
}

/** One link: a fresh shaped link (when shaped) in front of the bench server and the S3 engine. */
async function runNetwork(
  network: Network,
  config: BenchConfig,
  contenders: readonly Contender[],
  scenarios: ScenarioSet,
  server: BenchServer,
  routes: readonly TusRoute[],
  s3: S3Side | undefined,
): Promise<RunRecord[]> {
  const link = network.shape ? new ShapedLink(network.shape) : undefined;
  try {
    const origin = link ? (await link.forward(server.port)).origin : server.origin;
    if (s3) {
      s3.usePublicOrigin(link ? (await link.forward(s3.enginePort)).origin : `http://127.0.0.1:${s3.enginePort}`);
      server.setExtraRoutes(s3.routes());
    }
    log(`\n== ${network.label}${link ? ` (shaping proxy in front of the pages, tus${s3 ? ' and the S3 engine' : ''})` : ''}`);
    const place: RunPlace = { network, origin, server, routes, s3 };
    const rounds = link ? config.shapedRounds : config.rounds;
    return await runRounds(place, rounds, config.profile, contenders, link ? scenarios.shaped : scenarios.loopback);
  } finally {
    await link?.close();
  }
}

async function runRounds(
  place: RunPlace,
  rounds: number,
  profiling: boolean,
  contenders: readonly Contender[],
  scenarios: readonly Scenario[],
): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  const broken = new Set<string>();
  for (let round = 1; round <= rounds; round += 1) {
    // Rotate the order each round so no contender always runs first (cold caches) or last.
    const shift = (round - 1) % contenders.length;
    const order = [...contenders.slice(shift), ...contenders.slice(0, shift)];
    for (const scenario of scenarios) {
      for (const contender of order) {
        const key = `${scenario.id}/${contender.id}`;
        if (broken.has(key)) continue; // one failure is enough evidence; do not wait on it again
        const started = Date.now();
        const profile = profiling ? path.join(artifacts, `${place.network.id}-${scenario.id}-${contender.id}-${round}.cpuprofile`) : undefined;
        const record = await runOnce(place, contender, scenario, round, profile);
        records.push(record);
        if (!record.ok) broken.add(key);
        log(`${describeRun(record, rounds)}  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        for (const hot of record.hotFunctions?.slice(0, 8) ?? []) log(`      ${String(hot.selfMs).padStart(6)} ms  ${hot.name}`);
      }
    }
  }
  return records;
}

export function machineConditions() {
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

