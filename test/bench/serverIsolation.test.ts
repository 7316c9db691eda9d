import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// lean-upload/server holds the AWS SDK and Node code; the browser entries (and the worker) must never
// reach it, or every app bundle would pull it in. Walks the static import graph of the sources.
const root = fileURLToPath(new URL('../../', import.meta.url));
const BROWSER_ENTRIES = ['src/index.ts', 'src/react.ts', 'src/core/sha256Worker.ts'];

function resolve(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier.replace(/\.js$/, ''));
  const found = ['.ts', '.tsx', '/index.ts'].map((ext) => base + ext).find((file) => existsSync(file));
  if (!found) throw new Error(`cannot resolve ${specifier} from ${from}`);
  return found;
}

function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, specifier = ''] of source.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)|import\s+'([^']+)'/g)) {
      if (specifier.startsWith('.')) visit(resolve(file, specifier));
      else if (specifier) packages.add(specifier);
    }
  };
  visit(path.join(root, entry));
  return { files, packages };
}

test.each(BROWSER_ENTRIES)('%s reaches no src/server file, no AWS SDK, no @tus/server, no node: module', (entry) => {
  const { files, packages } = reachable(entry);
  expect(files.size).toBeGreaterThan(1);
  expect([...files].filter((file) => file.includes(`${path.sep}src${path.sep}server${path.sep}`))).toEqual([]);
  expect([...packages].filter((name) => /^(@aws-sdk\/|@tus\/|node:)/.test(name))).toEqual([]);
});

test('the walk does find the server entry\'s own AWS SDK imports (the check can fail)', () => {
  expect([...reachable('src/server/index.ts').packages]).toContain('@aws-sdk/client-s3');
});
