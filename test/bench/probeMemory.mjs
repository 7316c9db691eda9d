// Where browser memory goes when reading (and hashing) a file in 8 MiB chunks: peak RSS growth per
// Chromium process kind, per way of reading and hashing. Run: node test/bench/probeMemory.mjs
// (PROBE_SIZE_MIB=256, PROBE_MODES=read,arrayBuffer,worker-only,digest-main,digest-worker,digest-worker-1mib;
// PROBE_MODES=w: the worker's ways of reading, as lean-upload's hash worker reads: see probeMemory.ts)
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const entry = fileURLToPath(new URL('./probeMemory.ts', import.meta.url));
const { module } = await runnerImport(entry, { configFile: false, logLevel: 'warn' });
await module.probeMemory();
process.exit(0);
