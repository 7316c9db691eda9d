import path from 'node:path';
import type { Plugin } from 'vite';

export interface KeepWorkerOptions {
  /** The worker's source, relative to the project root; the library build must have it as an entry. */
  worker: string;
}

/** `new URL('./x.js', import.meta.url)` with its quote and its relative URL captured. */
const workerUrl = /new URL\((['"])(\.{1,2}\/[^'"]+\.js)\1, import\.meta\.url\)/g;

/**
 * For the library build only (build.rolldownOptions.plugins run in `vite build`, never in dev or in
 * tests). Left alone, Vite bundles `new Worker(new URL('./sha256Worker.js', import.meta.url))` into a
 * hashed asset behind a computed URL, which an app's bundler takes for a plain asset: Vite inlines it
 * as a data: URL (it is under assetsInlineLimit), and a page CSP with `worker-src 'self'` then blocks
 * the worker, so hashing silently ran on the main thread. Hiding the expression from Vite's worker
 * plugin and writing it back into the output keeps that standard pattern in dist, which Vite (dev and
 * build), webpack 5 and Parcel recognise and bundle as a worker of the app.
 *
 * Written back relative to where things land in dist, not as in src: the module that spawns the
 * worker is found by what it contains (any module whose `new URL(…, import.meta.url)` names the worker's
 * source), and the URL is computed from its output chunk to the worker's entry file, so the spawning
 * module may move, and the build may put it in a subfolder (preserveModules puts src/core/X.ts in
 * dist/core/X.js while the worker entry is dist/sha256Worker.js).
 */
export function keepWorkerForConsumers({ worker }: KeepWorkerOptions): Plugin {
  const workerSource = path.resolve(worker);
  // A free identifier survives minification unrenamed. (Replacements go through functions: '$$' is a pattern.)
  const placeholder = '$leanUploadWorkerUrl$';
  let spawners = new Set<string>();
  let restored = 0;
  return {
    name: 'lean-upload:keep-worker-for-consumers',
    buildStart() {
      spawners = new Set();
      restored = 0;
    },
    transform: {
      order: 'pre',
      filter: { id: { exclude: /node_modules/ }, code: 'import.meta.url' },
      handler(code, id) {
        const file = id.replace(/[?#].*$/, '');
        const hidden = code.replace(workerUrl, (whole, _quote: string, url: string) => {
          // In src the URL names the built file ('./sha256Worker.js' for sha256Worker.ts), as in dist.
          const target = path.resolve(path.dirname(file), url).replace(/\.js$/, '.ts');
          return target === workerSource ? `new URL(${placeholder}, import.meta.url)` : whole;
        });
        if (hidden === code) return null;
        spawners.add(file);
        return { code: hidden, map: null };
      },
    },
    renderChunk(code, chunk, _options, { chunks }) {
      if (!code.includes(placeholder)) return null;
      const entry = Object.values(chunks).find((c) => c.isEntry && c.facadeModuleId === workerSource);
      if (!entry) this.error(`${worker} is not an entry of the build, so it has no file of its own to point at`);
      if (entry.fileName.includes('!~{')) this.error(`the worker's file name ${entry.fileName} is hashed; it needs a fixed name`);
      let url = path.posix.relative(path.posix.dirname(chunk.fileName), entry.fileName);
      if (!url.startsWith('.')) url = `./${url}`;
      const literal = `'${url}'`;
      // Only the rest of that one line shifts in the source map when the literal is longer than the
      // placeholder; the build keeps line breaks, so every other mapping stays right.
      const written = code.split(placeholder);
      restored += written.length - 1;
      return { code: written.join(literal), map: null };
    },
    generateBundle() {
      // Without it, dist would start the worker from an undefined URL and every hash would fall back.
      if (spawners.size === 0) this.error(`no module starts ${worker} with new URL('…', import.meta.url)`);
      if (restored === 0) this.error(`the worker URL was written back into no chunk (spawned by ${[...spawners].join(', ')})`);
    },
  };
}
