import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { RequestStats } from './RequestStats.js';
import type { TusRoute } from './createTusRoutes.js';

export interface BenchServer {
  origin: string;
  /** Replaced at the start of each run, so figures belong to one contender. */
  resetStats(): RequestStats;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** One origin on 127.0.0.1: the built pages and the tus routes, so no CORS is involved. */
export async function startBenchServer(pagesDirectory: string, routes: readonly TusRoute[]): Promise<BenchServer> {
  let stats = new RequestStats();
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const tusRoute = routes.find(({ route }) => url === route || url.startsWith(`${route}/`));
    if (tusRoute) {
      stats.track(req, res);
      tusRoute.handle(req, res);
      return;
    }
    serveStatic(pagesDirectory, url, res, req);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    resetStats: () => (stats = new RequestStats()),
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function serveStatic(root: string, url: string, res: ServerResponse, req: IncomingMessage): void {
  const pathname = decodeURIComponent(new URL(url, 'http://localhost').pathname);
  const filePath = path.join(root, path.normalize(pathname));
  const inside = filePath.startsWith(root + path.sep);
  const size = inside ? fileSize(filePath) : -1;
  if (req.method !== 'GET' || size < 0) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(filePath)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': 'no-store',
  });
  createReadStream(filePath).pipe(res);
}

function fileSize(filePath: string): number {
  try {
    const stat = statSync(filePath);
    return stat.isFile() ? stat.size : -1;
  } catch {
    return -1;
  }
}
