import path from 'node:path';
import type { Plugin } from 'vite';
import { createResumablePutHandler, type ResumablePutHandler } from './createResumablePutHandler.js';

export const RESUMABLE_PUT_PLUGIN_NAME = 'lean-upload-resumable-put';

/** Mounts the reference resumable PUT server in the Vite dev server (same origin as the page). */
export function resumablePutPlugin(options: { directory: string; route?: string }): Plugin<{ handler: ResumablePutHandler }> {
  const handler = createResumablePutHandler({ route: options.route ?? '/resumable', directory: path.resolve(options.directory) });
  return {
    name: RESUMABLE_PUT_PLUGIN_NAME,
    api: { handler },
    configureServer(vite) {
      vite.middlewares.use((req, res, next) => (handler.matches(req.url ?? '') ? handler.handle(req, res) : next()));
    },
  };
}
