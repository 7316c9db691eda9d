import { CONTENDERS, type ContenderId } from './contenders.js';
import type { ScenarioId } from './summarise.js';

const SCENARIOS: readonly ScenarioId[] = ['big', 'small'];

export interface BenchConfig {
  rounds: number;
  bigFileMiB: number;
  smallFiles: number;
  contenders: readonly ContenderId[];
  /** BENCH_SCENARIOS: run only these (e.g. `small` while working on many small files). */
  scenarios: readonly ScenarioId[];
  /** BENCH_PROFILE=1: record a CPU profile of each page (unminified), a diagnostic that slows runs. */
  profile: boolean;
}

/** Reads BENCH_* variables; a bad value stops the run before anything starts. */
export function readBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const ids = CONTENDERS.map((contender) => contender.id);
  const only = (env.BENCH_ONLY ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of only) {
    if (!ids.includes(name as ContenderId)) {
      throw new Error(`BENCH_ONLY: unknown contender "${name}"; known: ${ids.join(', ')}`);
    }
  }
  const scenarios = (env.BENCH_SCENARIOS ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of scenarios) {
    if (!SCENARIOS.includes(name as ScenarioId)) {
      throw new Error(`BENCH_SCENARIOS: unknown scenario "${name}"; known: ${SCENARIOS.join(', ')}`);
    }
  }
  return {
    rounds: positiveInteger(env, 'BENCH_ROUNDS', 3),
    bigFileMiB: positiveInteger(env, 'BENCH_SIZE_MIB', 1024),
    smallFiles: positiveInteger(env, 'BENCH_SMALL_FILES', 200),
    contenders: only.length > 0 ? ids.filter((id) => only.includes(id)) : ids,
    scenarios: scenarios.length > 0 ? SCENARIOS.filter((id) => scenarios.includes(id)) : SCENARIOS,
    profile: env.BENCH_PROFILE === '1',
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}
