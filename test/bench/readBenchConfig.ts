import { CONTENDERS, type ContenderId } from './contenders.js';
import { NETWORKS, type NetworkId } from './networks.js';
import type { ScenarioId } from './summarise.js';

const SCENARIOS: readonly ScenarioId[] = ['big', 'small', 'tiny'];
/** BENCH_QUICK: the contenders a short run keeps (ours, the peers the targets name, S3 side by side). */
const QUICK_CONTENDERS: readonly ContenderId[] = ['lean', 'lean-sha256', 'tus-js-8mib', 'uppy', 'lean-s3', 'uppy-s3'];

export interface BenchConfig {
  /** BENCH_QUICK=1: one round, small sizes, fewer contenders: the whole matrix in a few minutes. */
  quick: boolean;
  rounds: number;
  /** Rounds on the shaped links (each run there takes up to a minute; default 1). */
  shapedRounds: number;
  bigFileMiB: number;
  /** The large file on shaped links: 128 MiB takes 54 s at 20 Mbit/s. */
  shapedBigFileMiB: number;
  smallFiles: number;
  tinyFiles: number;
  contenders: readonly ContenderId[];
  networks: readonly NetworkId[];
  /** BENCH_SCENARIOS: run only these (e.g. `small` while working on many small files). */
  scenarios: readonly ScenarioId[];
  /** BENCH_PROFILE=1: record a CPU profile of each page (unminified), a diagnostic that slows runs. */
  profile: boolean;
}

/** Reads BENCH_* variables; a bad value stops the run before anything starts. */
export function readBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = env.BENCH_QUICK === '1';
  const only = names(env, 'BENCH_ONLY', 'contender', CONTENDERS.map((contender) => contender.id));
  const networks = names(env, 'BENCH_NETWORKS', 'network', NETWORKS.map((network) => network.id));
  const scenarios = names(env, 'BENCH_SCENARIOS', 'scenario', SCENARIOS);
  const defaultContenders = quick ? QUICK_CONTENDERS : CONTENDERS.map((contender) => contender.id);
  return {
    quick,
    rounds: positiveInteger(env, 'BENCH_ROUNDS', quick ? 1 : 3),
    shapedRounds: positiveInteger(env, 'BENCH_SHAPED_ROUNDS', 1),
    bigFileMiB: positiveInteger(env, 'BENCH_SIZE_MIB', quick ? 64 : 1024),
    shapedBigFileMiB: positiveInteger(env, 'BENCH_SHAPED_SIZE_MIB', quick ? 8 : 128),
    smallFiles: positiveInteger(env, 'BENCH_SMALL_FILES', quick ? 10 : 200),
    tinyFiles: positiveInteger(env, 'BENCH_TINY_FILES', quick ? 30 : 300),
    contenders: only.length > 0 ? CONTENDERS.map((contender) => contender.id).filter((id) => only.includes(id)) : defaultContenders,
    networks: networks.length > 0 ? NETWORKS.map((network) => network.id).filter((id) => networks.includes(id)) : NETWORKS.map((network) => network.id),
    scenarios: scenarios.length > 0 ? SCENARIOS.filter((id) => scenarios.includes(id)) : SCENARIOS,
    profile: env.BENCH_PROFILE === '1',
  };
}

function names<T extends string>(env: NodeJS.ProcessEnv, variable: string, what: string, known: readonly T[]): T[] {
  const listed = (env[variable] ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of listed) {
    if (!known.includes(name as T)) throw new Error(`${variable}: unknown ${what} "${name}"; known: ${known.join(', ')}`);
  }
  return listed as T[];
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}
