import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer, type ViteDevServer } from 'vite';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
/** Where demo/vite.config.ts tells the tus server to store uploads. */
export const demoUploads = path.join(repoRoot, '.uploads/demo');

export interface DemoServer {
  url: string;
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
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}
