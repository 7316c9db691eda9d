import type { Plugin } from 'vite';

export interface KeepWorkerOptions {
  /** The module that starts the worker, relative to the project root. */
  module: string;
  /** The worker's URL as written there, e.g. './sha256Worker.js'; the library build emits that file. */
  url: string;
}

/**
 * For the library build only (build.rolldownOptions.plugins run in `vite build`, never in dev or in
 * tests). Left alone, Vite bundles `new Worker(new URL('./sha256Worker.js', import.meta.url))` into a
 * hashed asset behind a computed URL, which an app's bundler takes for a plain asset: Vite inlines it
 * as a data: URL (it is under assetsInlineLimit), and a page CSP with `worker-src 'self'` then blocks
 * the worker, so hashing silently ran on the main thread. Hiding the expression from Vite's worker
 * plugin and writing it back into the output keeps that standard pattern in dist, which Vite (dev and
 * build), webpack 5 and Parcel recognise and bundle as a worker of the app.
 */
export function keepWorkerForConsumers({ module, url }: KeepWorkerOptions): Plugin {
  const literal = `'${url}'`;
  // An identifier of the same length as the literal, so source-map columns stay right; a free
  // identifier survives minification unrenamed. (Replacements go through functions: '$$' is a pattern.)
  const placeholder = '$leanUploadWorker'.padEnd(literal.length, '$');
  const written = `new URL(${literal}, import.meta.url)`;
  const hidden = `new URL(${placeholder}, import.meta.url)`;
  let restored = 0;
  return {
    name: 'lean-upload:keep-worker-for-consumers',
    buildStart() {
      restored = 0;
    },
    transform: {
      order: 'pre',
      filter: { id: new RegExp(`${module.replace(/[.]/g, '\\.')}$`) },
      handler(code) {
        if (!code.includes(written)) this.error(`${module} no longer contains ${written}`);
        return { code: code.replace(written, () => hidden), map: null };
      },
    },
    renderChunk(code) {
      if (!code.includes(placeholder)) return null;
      restored += 1;
      return { code: code.replace(placeholder, () => literal), map: null };
    },
    generateBundle() {
      // Without it, dist would start the worker from an undefined URL and every hash would fall back.
      if (restored !== 1) this.error(`the worker URL was written back into ${restored} chunks, expected 1`);
    },
  };
}
