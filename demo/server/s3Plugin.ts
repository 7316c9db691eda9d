import path from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import type { Server as TusServer } from '@tus/server';
import { createS3Backend, ensureBucket, type S3Backend } from './createS3Backend.js';
import { createTusS3Server } from './createTusS3Server.js';
import { SWIFT_INSTALL_COMMAND, swiftInstalled, type SwiftS3 } from './swift/startSwift.js';

export interface S3PluginOptions {
  /** Folder for the Swift this plugin starts (git-ignored, under .uploads/). */
  directory: string;
  /** Route prefix of the JSON API. Default '/s3'. */
  route?: string;
  /** Lifetime of presigned URLs in seconds. Default 900. */
  expiresIn?: number;
  /** Route of a tus endpoint whose uploads are stored on the same engine (@tus/s3-store), e.g. '/files-s3'. */
  tusRoute?: string;
}

/** What test commands reach through the plugin (found by name). */
export interface S3PluginApi {
  backend(): Promise<S3Backend>;
}

export const S3_PLUGIN_NAME = 'lean-upload-s3';
const TUS_BUCKET = 'tus-uploads';

/**
 * A running Swift shared by a test run: its global setup starts one and names it here, so every
 * S3 plugin of the run (and the tests' own S3 client) uses it instead of starting its own.
 */
export const SHARED_SWIFT_ENV = 'LEAN_UPLOAD_SWIFT';

export function sharedSwift(): SwiftS3 | undefined {
  const shared = process.env[SHARED_SWIFT_ENV];
  if (!shared) return undefined;
  const { endpoint, region, credentials } = JSON.parse(shared) as Omit<SwiftS3, 'stop'>;
  return { endpoint, region, credentials, stop: async () => {} };
}

/**
 * Mounts the S3 signing backend's JSON API in the Vite dev server, on a real S3 engine: OpenStack
 * Swift on 127.0.0.1 (its own port: the page PUTs parts to it cross-origin, as to S3), started on the
 * first S3 request. Without Swift installed, `{route}/status` and every S3 call say how to install it;
 * the tus routes need none of this.
 */
export function s3Plugin(options: S3PluginOptions): Plugin<S3PluginApi> {
  let started: Promise<S3Backend> | undefined;
  const route = (options.route ?? '/s3').replace(/\/+$/, '');
  const backend = (): Promise<S3Backend> => {
    if (!started) {
      const swift = sharedSwift();
      started = createS3Backend({
        route,
        ...(swift ? { swift } : { directory: path.resolve(options.directory) }),
        ...(options.expiresIn === undefined ? {} : { expiresIn: options.expiresIn }),
      });
      // A failed start is tried again on the next request, not remembered.
      started.catch(() => (started = undefined));
    }
    return started;
  };
  let tus: Promise<TusServer> | undefined;
  const tusServer = (): Promise<TusServer> =>
    (tus ??= backend().then(async (b) => {
      await ensureBucket(b.client, TUS_BUCKET);
      return createTusS3Server({ route: options.tusRoute!, swift: b.swift, bucket: TUS_BUCKET });
    }));
  const tusRoute = options.tusRoute?.replace(/\/+$/, '');
  return {
    name: S3_PLUGIN_NAME,
    api: { backend },
    configureServer(vite) {
      vite.middlewares.use((req, res, next) => {
        const url = req.url ?? '';
        const forTus = tusRoute !== undefined && (url === tusRoute || url.startsWith(`${tusRoute}/`) || url.startsWith(`${tusRoute}?`));
        if (!url.startsWith(`${route}/`) && !forTus) return next();
        const installed = sharedSwift() !== undefined || swiftInstalled();
        if (forTus) {
          if (!installed) return json(res, 503, { error: `Storing tus uploads on S3 needs OpenStack Swift: ${SWIFT_INSTALL_COMMAND}` });
          tusServer().then(
            (server) => void server.handle(req, res),
            (error: unknown) => next(error),
          );
          return;
        }
        if (url.split('?')[0] === `${route}/status`) return json(res, 200, { installed, installCommand: SWIFT_INSTALL_COMMAND });
        if (!installed) return json(res, 503, { error: `The S3 mode needs OpenStack Swift: ${SWIFT_INSTALL_COMMAND}`, code: 'SwiftMissing' });
        backend().then(
          (b) => b.handle(req, res) || next(),
          (error: unknown) => next(error),
        );
      });
    },
    // Awaited by the dev server's close(): Swift's processes and data are gone when it resolves.
    async closeBundle() {
      const running = started;
      started = undefined;
      tus = undefined;
      await running?.then((b) => b.close(), () => undefined);
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}
