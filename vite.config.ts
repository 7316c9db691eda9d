import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { chromiumArgs, chromiumPath } from './test/support/chromium.ts';
import { tusPlugin } from './demo/server/tusPlugin.ts';
import { s3Plugin } from './demo/server/s3Plugin.ts';
import { resumablePutPlugin } from './demo/server/resumablePutPlugin.ts';
import { testCommands } from './test/support/commands.ts';
import { keepWorkerForConsumers } from './test/support/keepWorkerForConsumers.ts';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    cssCodeSplit: false,
    lib: {
      // The SHA-256 worker ships as dist/sha256Worker.js, beside the chunk that starts it.
      entry: {
        index: 'src/index.ts',
        react: 'src/react.ts',
        sha256Worker: 'src/core/sha256Worker.ts',
        // lean-upload/server (Node) is an entry of its own: the browser entries never import it.
        server: 'src/server/index.ts',
        // Each locale is its own entry, so an app ships only the languages it imports.
        'locales/de': 'src/react/locales/de.ts',
        'locales/zh-CN': 'src/react/locales/zh-CN.ts',
      },
      formats: ['es'],
      cssFileName: 'lean-upload',
    },
    rolldownOptions: {
      // One file per source module, as in src: an app's bundler then sees every lazy import() and
      // every module on its own, and ships what the bench measures from src. Merged into shared chunks,
      // lazy code (hashing, the restored list) and startup code (locale, format) sat in one chunk, and
      // an app paid ~1.2 KiB more at startup. Entries keep their names (dist/index.js, dist/locales/de.js).
      output: { preserveModules: true, preserveModulesRoot: 'src' },
      external: ['react', 'react-dom', 'react/jsx-runtime', 'react-dom/client', /^@aws-sdk\//, /^@tus\//, /^node:/],
      plugins: [keepWorkerForConsumers({ worker: fileURLToPath(new URL('src/core/sha256Worker.ts', import.meta.url)) })],
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/core/**/*.test.ts', 'test/protocols/**/*.test.ts', 'test/react/**/*.test.tsx', 'test/bench/**/*.test.ts'],
          environment: 'node',
          globals: true,
        },
      },
      {
        extends: true,
        plugins: [
          tusPlugin({ directory: '.uploads/browser-tests', checksum: 'both' }),
          s3Plugin({ directory: '.uploads/browser-tests-s3' }),
          // Presigned URLs that expire within 2 s, for the test of an expired signature.
          s3Plugin({ directory: '.uploads/browser-tests-s3', route: '/s3-short', expiresIn: 2 }),
          resumablePutPlugin({ directory: '.uploads/browser-tests-resumable' }),
        ],
        // Pre-bundled up front: a mid-run re-optimisation once loaded a second copy of React.
        optimizeDeps: {
          include: ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime', '@testing-library/react', 'axe-core'],
        },
        test: {
          name: 'browser',
          // One Swift (the S3 engine) for the run, shared by the S3 plugins through the environment.
          globalSetup: ['test/support/swiftGlobalSetup.ts'],
          // One file at a time: files share one Chromium, and uploads in parallel tabs compete for
          // the same 2 cores and the same tus server, which made stream reads starve under load.
          fileParallelism: false,
          include: ['test/browser/**/*.test.{ts,tsx}'],
          // Frees each test's Blobs before the next: files share one Chromium and its blob quota.
          setupFiles: ['test/support/browserSetup.ts'],
          globals: true,
          testTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
            instances: [{ browser: 'chromium' }],
            commands: testCommands,
          },
        },
      },
      {
        extends: true,
        test: {
          // Node-side S3 code against a real Swift (demo/server/swift), one shared by the files.
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          globalSetup: ['test/support/swiftGlobalSetup.ts'],
          environment: 'node',
          globals: true,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        // Type tests (*.test-d.ts): expectTypeOf assertions checked by tsc, never run.
        extends: true,
        test: {
          name: 'types',
          include: [],
          globals: true,
          typecheck: { enabled: true, only: true, include: ['test/types/**/*.test-d.ts'], tsconfig: 'tsconfig.json' },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globals: true,
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
