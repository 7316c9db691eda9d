import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Relative imports and re-exports of a file, type-only ones included: a cycle of types is still a knot. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]/g)) {
    const target = resolve(dirname(file), match[1]!).replace(/\.js$/, '');
    const candidates = [`${target}.ts`, `${target}.tsx`, join(target, 'index.ts')];
    const hit = candidates.find((path) => {
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    });
    if (hit) found.push(hit);
  }
  return found;
}

/** Every cycle found by a depth-first walk, as the list of files around it. */
function cycles(files: string[]): string[][] {
  const graph = new Map(files.map((file) => [file, importsOf(file)]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return found;
}

test('no import cycle anywhere in src/, type-only imports included', () => {
  const files = sources(SRC);
  expect(files.length).toBeGreaterThan(30);
  expect(cycles(files).map((cycle) => cycle.map((file) => relative(SRC, file)).join(' → '))).toEqual([]);
});

test('the cycle finder finds a cycle when there is one', () => {
  // FileUpload imports Attempt; a cycle appears once Attempt's imports include FileUpload.
  const files = sources(SRC);
  const attempt = files.find((file) => file.endsWith('core/Attempt.ts'))!;
  const fileUpload = files.find((file) => file.endsWith('core/FileUpload.ts'))!;
  expect(importsOf(fileUpload)).toContain(attempt);
  expect(importsOf(attempt)).not.toContain(fileUpload);
});
