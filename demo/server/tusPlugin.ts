import path from 'node:path';
import type { Plugin } from 'vite';
import { createTusHandler, type TusHandler } from './createTusHandler.js';

export interface TusPluginOptions {
  /** Folder for stored uploads (git-ignored, under .uploads/); each route gets a subfolder. */
  directory: string;
  /** Route prefix. Default '/files'. */
  path?: string;
  /**
   * 'off': a plain FileStore at `path`; 'on': a checksum-verifying store at `path`;
   * 'both': plain at `path` and verifying at `${path}-checksum`. Default 'off'.
   */
  checksum?: 'off' | 'on' | 'both';
  /** See TusHandlerOptions.expirationMs. */
  expirationMs?: number;
}

/** What the plugin offers to code that holds it (test commands find it by name). */
export interface TusPluginApi {
  handlers: readonly TusHandler[];
  handler(route: string): TusHandler;
}

export const TUS_PLUGIN_NAME = 'lean-upload-tus';

/** Mounts real @tus/server instances inside the Vite dev server, same origin as the page. */
export function tusPlugin(options: TusPluginOptions): Plugin<TusPluginApi> {
  const handlers = createHandlers(options);
  const api: TusPluginApi = {
    handlers,
    handler(route) {
      const found = handlers.find((h) => h.route === route);
      if (!found) throw new Error(`no tus route ${route}; mounted: ${handlers.map((h) => h.route).join(', ')}`);
      return found;
    },
  };
  return {
    name: TUS_PLUGIN_NAME,
    api,
    // Vite's CORS middleware answers every OPTIONS request itself, before plugin middleware,
    // which would hide the tus discovery response (Tus-Version, Tus-Extension). Same origin needs no CORS.
    config: () => ({ server: { cors: false } }),
    configureServer(vite) {
      vite.middlewares.use((req, res, next) => {
        const handler = handlers.find((h) => h.matches(req.url ?? ''));
        if (handler) handler.handle(req, res);
        else next();
      });
      vite.httpServer?.once('close', () => handlers.forEach((h) => h.close()));
    },
  };
}

function createHandlers(options: TusPluginOptions): TusHandler[] {
  const route = options.path ?? '/files';
  const mode = options.checksum ?? 'off';
  const directory = path.resolve(options.directory);
  const make = (prefix: string, checksum: boolean): TusHandler =>
    createTusHandler({
      route: prefix,
      checksum,
      directory: path.join(directory, prefix.replace(/^\/+/, '').replace(/\//g, '_')),
      ...(options.expirationMs === undefined ? {} : { expirationMs: options.expirationMs }),
    });
  if (mode === 'both') return [make(route, false), make(`${route}-checksum`, true)];
  return [make(route, mode === 'on')];
}
