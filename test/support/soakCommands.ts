import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'vite';
import type { BrowserCommand, BrowserCommandContext } from 'vitest/node';
import { TUS_PLUGIN_NAME, type TusPluginApi } from '../../demo/server/tusPlugin.js';

/** Server-side helpers for the soak (test/browser/soak.test.ts). */

export interface SoakConfig {
  uploads: number;
  seed: number;
}

export interface PageMemory {
  /** JS heap in use, after a full garbage collection. */
  heapUsed: number;
  /** ArrayBuffer backing stores and external strings, after the same collection. */
  backingStorage: number;
}

/** SOAK_UPLOADS (default 60: the short form in `npm test`) and SOAK_SEED (default: a fresh one, printed by the test). */
const soakConfig: BrowserCommand<[]> = (): SoakConfig => {
  const uploads = Number(process.env.SOAK_UPLOADS ?? 60);
  const seed = process.env.SOAK_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.SOAK_SEED);
  if (!Number.isSafeInteger(uploads) || uploads < 1 || !Number.isSafeInteger(seed)) throw new Error('SOAK_UPLOADS and SOAK_SEED must be integers');
  return { uploads, seed };
};

/** Collect garbage in the page's renderer (the test iframe shares its heap), then report what is left. */
const pageMemory: BrowserCommand<[]> = async (ctx): Promise<PageMemory> => {
  const session = await ctx.page.context().newCDPSession(ctx.page);
  try {
    // Twice: the first run's finalizers (FinalizationRegistry, blob handles) free more for the second.
    await session.send('HeapProfiler.collectGarbage');
    await session.send('HeapProfiler.collectGarbage');
    const usage = await session.send('Runtime.getHeapUsage');
    return { heapUsed: usage.usedSize, backingStorage: usage.backingStorageSize };
  } finally {
    await session.detach();
  }
};

/** Ids of the uploads the route stores whose metadata filename starts with `prefix`, by filename. */
const storedUploadsByName: BrowserCommand<[route: string, prefix: string]> = async (ctx, route, prefix) => {
  const { directory } = tusApi(ctx).handler(route);
  const found: Record<string, string[]> = {};
  for (const entry of await readdir(directory)) {
    if (!entry.endsWith('.json')) continue;
    const info = JSON.parse(await readFile(path.join(directory, entry), 'utf8').catch(() => '{}')) as { metadata?: Record<string, string | null> };
    const name = info.metadata?.filename;
    if (typeof name === 'string' && name.startsWith(prefix)) (found[name] ??= []).push(entry.slice(0, -'.json'.length));
  }
  return found;
};

/** Delete every upload of the route whose metadata filename starts with `prefix`; returns how many. */
const removeUploadsByName: BrowserCommand<[route: string, prefix: string]> = async (ctx, route, prefix) => {
  const found = (await storedUploadsByName(ctx, route, prefix)) as Record<string, string[]>;
  const { store } = tusApi(ctx).handler(route);
  const ids = Object.values(found).flat();
  for (const id of ids) await store.remove(id);
  return ids.length;
};

function tusApi(ctx: BrowserCommandContext): TusPluginApi {
  for (const server of [ctx.project.browser?.vite, ctx.project.vite]) {
    const plugin = server?.config.plugins.find((p): p is Plugin<TusPluginApi> => p.name === TUS_PLUGIN_NAME);
    if (plugin?.api) return plugin.api;
  }
  throw new Error('the browser project does not mount tusPlugin');
}

export const soakCommands = { soakConfig, pageMemory, storedUploadsByName, removeUploadsByName };

declare module 'vitest/browser' {
  interface BrowserCommands {
    soakConfig(): Promise<SoakConfig>;
    pageMemory(): Promise<PageMemory>;
    storedUploadsByName(route: string, prefix: string): Promise<Record<string, string[]>>;
    removeUploadsByName(route: string, prefix: string): Promise<number>;
  }
}
