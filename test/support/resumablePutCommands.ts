import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'vite';
import type { BrowserCommand, BrowserCommandContext } from 'vitest/node';
import type { ResumablePutHandler } from '../../demo/server/createResumablePutHandler.js';
import { RESUMABLE_PUT_PLUGIN_NAME } from '../../demo/server/resumablePutPlugin.js';

/** Server-side helpers for the resumable PUT browser tests: they read the reference server's folder. */

function handler(ctx: BrowserCommandContext): ResumablePutHandler {
  for (const server of [ctx.project.browser?.vite, ctx.project.vite]) {
    const plugin = server?.config.plugins.find((p): p is Plugin<{ handler: ResumablePutHandler }> => p.name === RESUMABLE_PUT_PLUGIN_NAME);
    if (plugin?.api) return plugin.api.handler;
  }
  throw new Error('the browser project does not mount resumablePutPlugin');
}

function storedPath(ctx: BrowserCommandContext, id: string): string {
  const { directory } = handler(ctx);
  const file = path.join(directory, id);
  if (path.dirname(file) !== directory || !/^[0-9a-f-]{36}$/.test(id)) throw new Error(`not an upload id: ${id}`);
  return file;
}

/** SHA-256 (hex) of an upload's stored bytes; null when there is no such upload. */
const resumablePutSha256: BrowserCommand<[id: string]> = async (ctx, id) => {
  const file = storedPath(ctx, id);
  if (!(await stat(file).then(() => true, () => false))) return null;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
};

/** Bytes stored so far; null when there is no such upload (never created, or deleted). */
const resumablePutSize: BrowserCommand<[id: string]> = async (ctx, id) => {
  const sizes = await Promise.all([storedPath(ctx, id), `${storedPath(ctx, id)}.json`].map((p) => stat(p).then((s) => s.size, () => null)));
  return sizes[1] === null ? null : (sizes[0] ?? null);
};

export const resumablePutTestCommands = { resumablePutSha256, resumablePutSize };

declare module 'vitest/browser' {
  interface BrowserCommands {
    resumablePutSha256(id: string): Promise<string | null>;
    resumablePutSize(id: string): Promise<number | null>;
  }
}
