// Entry for `node test/bench/profile.mjs`: where the CPU goes in the many-small-files scenario
// (see profileRuns.ts; PROFILE_ONLY, PROFILE_ROUNDS, PROFILE_FILES, PROFILE_CPU=1).
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const entry = fileURLToPath(new URL('./profileRuns.ts', import.meta.url));
const { module } = await runnerImport(entry, { configFile: false, logLevel: 'warn' });
await module.profileRuns();
process.exit(0);
