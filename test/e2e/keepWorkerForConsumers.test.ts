import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { keepWorkerForConsumers } from '../support/keepWorkerForConsumers.js';

/**
 * The library build's worker plugin on a small library of its own: wherever the module that starts the
 * worker sits, and however the build lays files out, dist starts the worker with a URL that, read from
 * that module's output file, names the worker's entry file.
 */

let project: string;

beforeAll(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'lean-upload-worker-plugin-'));
  const files: Record<string, string> = {
    // ESM, so the library build writes .js as lean-upload's does.
    'package.json': '{ "type": "module" }\n',
    'src/index.ts': "export const start = () => import('./deep/spawn.js').then((m) => m.spawn());\n",
    // Beside its worker in src, as dev needs; the build puts the worker elsewhere.
    'src/deep/spawn.ts': "export const spawn = () => new Worker(new URL('./work.js', import.meta.url), { type: 'module' });\n",
    'src/deep/work.ts': "import { answer } from './answer.js';\nself.postMessage(answer);\n",
    'src/deep/answer.ts': 'export const answer = 42;\n',
  };
  for (const [file, code] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(project, file)), { recursive: true });
    await writeFile(path.join(project, file), code);
  }
});

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

async function buildLibrary(preserveModules: boolean, worker = 'src/deep/work.ts'): Promise<string> {
  const outDir = path.join(project, preserveModules ? 'dist-modules' : 'dist-chunks');
  await build({
    configFile: false,
    root: project,
    logLevel: 'silent',
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      lib: { entry: { index: 'src/index.ts', work: 'src/deep/work.ts' }, formats: ['es'] },
      rolldownOptions: {
        output: preserveModules ? { preserveModules: true, preserveModulesRoot: 'src' } : {},
        plugins: [keepWorkerForConsumers({ worker: path.join(project, worker) })],
      },
    },
  });
  return outDir;
}

/** The worker URL in the output file that holds spawn(), resolved from that file: must be dist/work.js. */
async function expectWorkerFoundFrom(outDir: string, spawner: string): Promise<void> {
  const code = await readFile(path.join(outDir, spawner), 'utf8');
  const urls = [...code.matchAll(/new Worker\(new URL\((['"])([^'"]+)\1, import\.meta\.url\)/g)].map((m) => m[2]);
  expect(urls).toHaveLength(1);
  expect(path.resolve(path.dirname(path.join(outDir, spawner)), urls[0]!)).toBe(path.join(outDir, 'work.js'));
  expect(existsSync(path.join(outDir, 'work.js'))).toBe(true);
}

test('with one file per module, the spawning module in a subfolder points up to the worker entry', async () => {
  const outDir = await buildLibrary(true);
  await expectWorkerFoundFrom(outDir, 'deep/spawn.js');
  await expect(readFile(path.join(outDir, 'deep/spawn.js'), 'utf8')).resolves.toMatch(/new URL\((['"])\.\.\/work\.js\1/);
});

test('with merged chunks, the chunk holding the spawning module points beside it', async () => {
  const outDir = await buildLibrary(false);
  // spawn.ts is loaded through import(), so it is a chunk of its own beside index.js.
  const spawner = (await readdir(outDir)).find((file) => file.startsWith('spawn') && file.endsWith('.js'));
  expect(spawner).toBeDefined();
  await expectWorkerFoundFrom(outDir, spawner!);
});

test('a build where no module starts the worker fails, rather than shipping a worker nobody can find', async () => {
  await expect(buildLibrary(true, 'src/deep/answer.ts')).rejects.toThrow(/no module starts/);
});
