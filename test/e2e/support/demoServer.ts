import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer, type ViteDevServer } from 'vite';
import { TUS_PLUGIN_NAME, type TusPluginApi } from '../../../demo/server/tusPlugin.js';
import { S3_PLUGIN_NAME, type S3PluginApi } from '../../../demo/server/s3Plugin.js';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
/** Where demo/vite.config.ts tells the tus server to store uploads. */
export const demoUploads = path.join(repoRoot, '.uploads/demo');

export interface DemoServer {
  url: string;
  /** The embedded tus routes, for fault injection. */
  tus: TusPluginApi;
  /** The S3 backend (Swift started on first use), for reading back what the page stored. */
  s3: S3PluginApi;
  close(): Promise<void>;
}

/** The demo exactly as `npm run demo` serves it, on a free loopback port. */
export async function startDemoServer(): Promise<DemoServer> {
  const server: ViteDevServer = await createServer({
    configFile: path.join(repoRoot, 'demo/vite.config.ts'),
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    logLevel: 'warn',
  });
  await server.listen();
  const address = server.httpServer?.address() as AddressInfo | null;
  if (!address || typeof address === 'string') throw new Error('the demo server did not report a TCP address');
  const tus = server.config.plugins.find((plugin) => plugin.name === TUS_PLUGIN_NAME)?.api as TusPluginApi | undefined;
  if (!tus) throw new Error('demo/vite.config.ts does not mount the tus plugin');
  const s3 = server.config.plugins.find((plugin) => plugin.name === S3_PLUGIN_NAME)?.api as S3PluginApi | undefined;
  if (!s3) throw new Error('demo/vite.config.ts does not mount the S3 plugin');
  return { url: `http://127.0.0.1:${address.port}/`, tus, s3, close: () => server.close() };
}
