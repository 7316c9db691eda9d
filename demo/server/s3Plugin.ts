import path from 'node:path';
import type { Plugin } from 'vite';
import { createS3Backend, type S3Backend } from './createS3Backend.js';

export interface S3PluginOptions {
  /** Folder for s3rver's buckets (git-ignored, under .uploads/). */
  directory: string;
  /** Route prefix of the JSON API. Default '/s3'. */
  route?: string;
}

/** What test commands reach through the plugin (found by name). */
export interface S3PluginApi {
  backend(): Promise<S3Backend>;
}

export const S3_PLUGIN_NAME = 'lean-upload-s3';

/**
 * Starts a real S3-compatible server (s3rver on 127.0.0.1, its own port: the page PUTs parts to it
 * cross-origin, as to S3) and mounts the signing backend's JSON API in the Vite dev server.
 */
export function s3Plugin(options: S3PluginOptions): Plugin<S3PluginApi> {
  let started: Promise<S3Backend> | undefined;
  const backend = (): Promise<S3Backend> =>
    (started ??= createS3Backend({ directory: path.resolve(options.directory), ...(options.route ? { route: options.route } : {}) }));
  const route = (options.route ?? '/s3').replace(/\/+$/, '');
  return {
    name: S3_PLUGIN_NAME,
    api: { backend },
    configureServer(vite) {
      vite.middlewares.use((req, res, next) => {
        if (!(req.url ?? '').startsWith(`${route}/`)) return next();
        backend().then(
          (b) => b.handle(req, res) || next(),
          (error: unknown) => next(error),
        );
      });
      vite.httpServer?.once('close', () => void started?.then((b) => b.close()));
    },
  };
}
