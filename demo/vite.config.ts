import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { tusPlugin } from './server/tusPlugin.js';
import { s3Plugin } from './server/s3Plugin.js';
import { resumablePutPlugin } from './server/resumablePutPlugin.js';

/**
 * Cross-origin isolation, so the memory panel can show performance.measureUserAgentSpecificMemory().
 * require-corp is enough: the page loads nothing cross-origin without CORS, and the S3 mode's part
 * PUTs to the S3 server's own origin are CORS requests, which COEP lets through.
 */
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

const demoRoot = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(demoRoot, '..');

/**
 * The live demo: the page under demo/ imports the library from ../src, and the same dev server
 * embeds a real tus server. Uploads land in the repo's git-ignored .uploads/demo, whatever the cwd.
 */
export default defineConfig({
  root: demoRoot,
  // A cache of its own, so a running demo and the test projects never rewrite each other's deps.
  cacheDir: path.join(repoRoot, 'node_modules/.vite/demo'),
  plugins: [
    react(),
    tusPlugin({ directory: path.join(repoRoot, '.uploads/demo'), checksum: 'both' }),
    s3Plugin({ directory: path.join(repoRoot, '.uploads/demo-s3'), tusRoute: '/files-s3' }),
    resumablePutPlugin({ directory: path.join(repoRoot, '.uploads/demo-resumable') }),
  ],
  // No HMR: with it, the React plugin injects its Fast Refresh preamble as an inline <script>, and the
  // demo serves no inline script (its Content-Security-Policy says script-src 'self'). Reload to see edits.
  server: { host: '127.0.0.1', port: 5173, strictPort: false, hmr: false, headers: isolation },
  preview: { host: '127.0.0.1', headers: isolation },
  clearScreen: false,
  build: { outDir: path.join(repoRoot, 'dist/demo'), emptyOutDir: true },
});
