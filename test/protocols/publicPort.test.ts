import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * A protocol can be written by anyone against lean-upload's public exports: every name an in-repo
 * protocol imports from outside its own folder must be one `src/index.ts` exports.
 */
const SRC = resolve(__dirname, '../../src');
const PROTOCOLS = join(SRC, 'protocols');

function fileOf(from: string, specifier: string): string {
  const target = resolve(dirname(from), specifier).replace(/\.js$/, '');
  const found = [`${target}.ts`, `${target}.tsx`, join(target, 'index.ts')].find((path) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });
  if (!found) throw new Error(`cannot resolve ${specifier} from ${from}`);
  return found;
}

const names = (list: string): string[] =>
  list
    .split(',')
    .map((item) => item.trim().replace(/^type\s+/, ''))
    .filter(Boolean)
    .map((item) => item.split(/\s+as\s+/).pop()!.trim());

/** Names a module exports, following re-exports. */
function exportedNames(file: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(file)) return out;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) for (const name of names(m[1]!)) out.add(name);
  for (const m of text.matchAll(/export\s+(?:type\s+)?\*\s+from\s+['"]([^'"]+)['"]/g)) {
    for (const name of exportedNames(fileOf(file, m[1]!), seen)) out.add(name);
  }
  for (const m of text.matchAll(/export\s+(?:declare\s+)?(?:abstract\s+)?(?:interface|type|class|function|const|let|async\s+function)\s+([A-Za-z_$][\w$]*)/g)) out.add(m[1]!);
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.ts$/.test(name) ? [path] : [];
  });
}

/** [file, imported name, module] for every name a protocol takes from outside its own folder. */
function crossings(): { file: string; name: string; from: string }[] {
  const result: { file: string; name: string; from: string }[] = [];
  for (const file of sources(PROTOCOLS)) {
    const own = relative(PROTOCOLS, file).split(sep)[0]!;
    const ownDir = join(PROTOCOLS, own);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"](\.[^'"]+)['"]/g)) {
      const target = fileOf(file, m[2]!);
      if (target.startsWith(ownDir + sep)) continue;
      for (const name of names(m[1]!)) result.push({ file: relative(SRC, file), name, from: relative(SRC, target) });
    }
  }
  return result;
}

test('every name a protocol imports from outside its folder is a public export of lean-upload', () => {
  const publicNames = exportedNames(join(SRC, 'index.ts'));
  const found = crossings();
  expect(found.length).toBeGreaterThan(20);
  expect(found.filter(({ name }) => !publicNames.has(name))).toEqual([]);
});

test('the check sees through to the names: a private helper would be reported', () => {
  const publicNames = exportedNames(join(SRC, 'index.ts'));
  for (const name of ['mergeRanges', 'toBase64', 'onAbort', 'withoutQuery', 'sendRequest', 'ProtocolSession', 'PartLayout', 'resumablePut']) {
    expect(publicNames.has(name), name).toBe(true);
  }
  // Internal to core: not exported, so no protocol may import it.
  for (const name of ['PartPlanner', 'Attempt', 'FileUpload', 'withTimeout']) expect(publicNames.has(name), name).toBe(false);
});

test('the resumable PUT protocol imports nothing from another protocol\'s folder', () => {
  const foreign = crossings().filter(({ file, from }) => file.includes('resumablePut') && from.startsWith(`protocols${sep}`) && !from.includes(`protocols${sep}http${sep}`));
  expect(foreign).toEqual([]);
});
