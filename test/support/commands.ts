import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'vite';
import type { BrowserCommand, BrowserCommandContext } from 'vitest/node';
import type { TusLogEntry } from '../../demo/server/createTusHandler.js';
import type { TusFault } from '../../demo/server/TusFaults.js';
import { TUS_PLUGIN_NAME, type TusPluginApi } from '../../demo/server/tusPlugin.js';
import { s3TestCommands } from './s3Commands.js';
import { resumablePutTestCommands } from './resumablePutCommands.js';
import { soakCommands } from './soakCommands.js';
import { collectGarbage } from './collectGarbage.js';

/**
 * Server-side helpers for browser tests (they run in Node, next to the real tus server the
 * browser project mounts; see demo/server/tusPlugin.ts). Routes are URL prefixes ('/files',
 * '/files-checksum'); ids are the last segment of an upload URL.
 */

function tusApi(ctx: BrowserCommandContext): TusPluginApi {
  const servers = [ctx.project.browser?.vite, ctx.project.vite];
  for (const server of servers) {
    const plugin = server?.config.plugins.find((p): p is Plugin<TusPluginApi> => p.name === TUS_PLUGIN_NAME);
    if (plugin?.api) return plugin.api;
  }
  throw new Error('the browser project does not mount tusPlugin');
}

function storedPath(ctx: BrowserCommandContext, route: string, id: string): string {
  const { directory } = tusApi(ctx).handler(route);
  const file = path.join(directory, id);
  if (path.dirname(file) !== directory) throw new Error(`not an upload id: ${id}`);
  return file;
}

/** SHA-256 (hex) of a stored upload's bytes. */
const storedSha256: BrowserCommand<[route: string, id: string]> = async (ctx, route, id) => {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(storedPath(ctx, route, id))) hash.update(chunk as Buffer);
  return hash.digest('hex');
};

/** Bytes stored so far; null when there is no such upload. */
const storedSize: BrowserCommand<[route: string, id: string]> = async (ctx, route, id) => {
  try {
    return (await stat(storedPath(ctx, route, id))).size;
  } catch {
    return null;
  }
};

/** True while the server keeps anything of the upload: its bytes or its info file. */
const uploadExists: BrowserCommand<[route: string, id: string]> = async (ctx, route, id) => {
  const file = storedPath(ctx, route, id);
  const found = await Promise.all([file, `${file}.json`].map((p) => stat(p).then(() => true, () => false)));
  return found.includes(true);
};

/** Cut a stored upload's bytes to `bytes`, as a server that restarts having lost the tail it acknowledged (the file store's offset is the file's size). */
const truncateStored: BrowserCommand<[route: string, id: string, bytes: number]> = async (ctx, route, id, bytes) => {
  await truncate(storedPath(ctx, route, id), bytes);
};

/** Remove a stored upload and its info file, as an upload that expired or was deleted mid-way. */
const removeStored: BrowserCommand<[route: string, id: string]> = async (ctx, route, id) => {
  const file = storedPath(ctx, route, id);
  await Promise.all([rm(file, { force: true }), rm(`${file}.json`, { force: true })]);
};

/** The metadata the server recorded for the upload (decoded Upload-Metadata). */
const storedMetadata: BrowserCommand<[route: string, id: string]> = async (ctx, route, id) => {
  const upload = await tusApi(ctx).handler(route).store.getUpload(id);
  return upload.metadata ?? {};
};

const injectFault: BrowserCommand<[route: string, fault: TusFault]> = (ctx, route, fault) => {
  tusApi(ctx).handler(route).faults.inject(fault);
};

const clearFaults: BrowserCommand<[route: string]> = (ctx, route) => {
  tusApi(ctx).handler(route).faults.clear();
};

/** Requests the route answered, oldest first; only those with this X-Test-Scope when given. */
const tusRequestLog: BrowserCommand<[route: string, scope?: string]> = (ctx, route, scope) => {
  const { log } = tusApi(ctx).handler(route);
  return scope === undefined ? [...log] : log.filter((entry) => entry.scope === scope);
};

export const testCommands = {
  storedSha256,
  storedSize,
  uploadExists,
  truncateStored,
  removeStored,
  storedMetadata,
  injectFault,
  clearFaults,
  tusRequestLog,
  ...s3TestCommands,
  ...resumablePutTestCommands,
  ...soakCommands,
  collectGarbage,
};

declare module 'vitest/browser' {
  interface BrowserCommands {
    storedSha256(route: string, id: string): Promise<string>;
    storedSize(route: string, id: string): Promise<number | null>;
    uploadExists(route: string, id: string): Promise<boolean>;
    truncateStored(route: string, id: string, bytes: number): Promise<void>;
    removeStored(route: string, id: string): Promise<void>;
    storedMetadata(route: string, id: string): Promise<Record<string, string | null>>;
    injectFault(route: string, fault: TusFault): Promise<void>;
    clearFaults(route: string): Promise<void>;
    tusRequestLog(route: string, scope?: string): Promise<TusLogEntry[]>;
    collectGarbage(): Promise<void>;
  }
}
