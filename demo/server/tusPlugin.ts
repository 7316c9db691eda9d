import path from 'node:path';
import { Server } from '@tus/server';
import { FileStore } from '@tus/file-store';
import type { Plugin } from 'vite';

export interface TusPluginOptions {
  /** Folder for stored uploads (git-ignored). */
  directory: string;
  /** Route prefix. Default '/files'. */
  path?: string;
  /** 'off': plain FileStore; 'both': '/files' plain and '/files-checksum' verifying. */
  checksum?: 'off' | 'both';
}

/** Mounts a real @tus/server inside the Vite dev server, same origin as the page. */
export function tusPlugin(options: TusPluginOptions): Plugin {
  const route = options.path ?? '/files';
  const directory = path.resolve(options.directory);
  const server = new Server({ path: route, datastore: new FileStore({ directory }), relativeLocation: true });
  return {
    name: 'lean-upload-tus',
    // Vite's CORS middleware answers every OPTIONS request itself, before plugin middleware,
    // which would hide the tus discovery response (Tus-Version, Tus-Extension). Same origin needs no CORS.
    config: () => ({ server: { cors: false } }),
    configureServer(vite) {
      vite.middlewares.use((req, res, next) => {
        const url = req.url ?? '';
        if (url === route || url.startsWith(`${route}/`) || url.startsWith(`${route}?`)) {
          void server.handle(req, res);
          return;
        }
        next();
      });
    },
  };
}
