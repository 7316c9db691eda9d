// Entry for `npm run bench`. Node 20 cannot load TypeScript, so the harness (test/bench/*.ts)
// is loaded through Vite's module runner; the pages are bundled by Vite as well.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const entry = fileURLToPath(new URL('./runBench.ts', import.meta.url));
const { module } = await runnerImport(entry, { configFile: false, logLevel: 'warn' });
const code = await module.runBench();
// Exit explicitly: a stray handle (a browser helper, a keep-alive socket) must not hold the run open.
process.exit(code);
