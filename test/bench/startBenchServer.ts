import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { RequestStats } from './RequestStats.js';
import type { TusRoute } from './createTusRoutes.js';
import type { Handle } from './s3Side.js';

export interface ExtraRoute {
  route: string;
  handle: Handle;
}

export interface BenchServer {
  origin: string;
  port: number;
  /** Mounts more routes (the S3 signing backends); requests to them are counted like the tus routes'. */
  setExtraRoutes(routes: readonly ExtraRoute[]): void;
  /** Replaced at the start of each run, so figures belong to one contender. */
  resetStats(): RequestStats;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * One origin on 127.0.0.1: the built pages and the tus routes, so no CORS is involved. Every answer
 * is cross-origin isolated (COOP same-origin, COEP require-corp), which the pages need for
 * performance.measureUserAgentSpecificMemory(); the S3 engine is reached by CORS, which COEP allows.
 */
export async function startBenchServer(pagesDirectory: string, routes: readonly TusRoute[]): Promise<BenchServer> {
  let stats = new RequestStats();
  let extra: readonly ExtraRoute[] = [];
  const under = (url: string, route: string): boolean => url === route || url.startsWith(`${route}/`) || url.startsWith(`${route}?`);
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    res.setHeader('cross-origin-embedder-policy', 'require-corp');
    const route = routes.find((candidate) => under(url, candidate.route)) ?? extra.find((candidate) => under(url, candidate.route));
    if (route) {
      stats.track(req, res);
      route.handle(req, res);
      return;
    }
    serveStatic(pagesDirectory, url, res, req);
  });
  // Idle connections stay open as long as behind a reverse proxy (nginx 75 s, AWS ALB 60 s), not
  // Node's 5 s: an S3 upload's signing connection idles while parts go to S3, and a reconnect
  // costs a handshake round trip on a shaped link that no real deployment would charge.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    setExtraRoutes: (routes) => (extra = routes),
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
