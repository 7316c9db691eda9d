import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Contender } from './contenders.js';

const pagesRoot = path.dirname(fileURLToPath(import.meta.url)) + '/pages';

/**
 * Bundles one small production page per library the selected contenders need, so each page
 * loads only its own library, minified as an app would ship it.
 */
export async function buildPages(outDir: string, contenders: readonly Contender[], minify = true): Promise<void> {
  const pages = [...new Set(contenders.map((contender) => contender.page))];
  await build({
    configFile: false,
    root: pagesRoot,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify,
      // As an app's default Vite build: a lazy chunk's own imports are fetched beside it, not one after
      // the other (the part pipeline's shared chunks cost a round trip each on a shaped link without it).
      // No polyfill: Chromium supports modulepreload.
      modulePreload: { polyfill: false },
      rolldownOptions: { input: Object.fromEntries(pages.map((page) => [page, path.join(pagesRoot, `${page}.html`)])) },
    },
  });
}
