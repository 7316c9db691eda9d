import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';
import type { BrowserCommand, BrowserCommandContext } from 'vitest/node';
import type { S3Backend } from '../../demo/server/createS3Backend.js';
import { S3_PLUGIN_NAME, type S3PluginApi } from '../../demo/server/s3Plugin.js';

/** Server-side helpers for the S3 browser tests: they ask the real s3rver, as any S3 client would. */

async function backend(ctx: BrowserCommandContext): Promise<S3Backend> {
  for (const server of [ctx.project.browser?.vite, ctx.project.vite]) {
    const plugin = server?.config.plugins.find((p): p is Plugin<S3PluginApi> => p.name === S3_PLUGIN_NAME);
    if (plugin?.api) return plugin.api.backend();
  }
  throw new Error('the browser project does not mount s3Plugin');
}

/** SHA-256 (hex) of a stored object, read back through the S3 API; null when there is no such object. */
const s3ObjectSha256: BrowserCommand<[key: string]> = async (ctx, key) => {
  const answer = await fetch((await backend(ctx)).presign('GET', key));
  if (answer.status === 404) return null;
  if (!answer.ok || !answer.body) throw new Error(`GET ${key}: ${answer.status}`);
  const hash = createHash('sha256');
  for await (const chunk of answer.body) hash.update(chunk);
  return hash.digest('hex');
};

/** Part numbers S3 holds for an upload (ListParts); null when S3 no longer knows the upload. */
const s3ListParts: BrowserCommand<[key: string, uploadId: string]> = async (ctx, key, uploadId) => {
  const answer = await fetch((await backend(ctx)).presign('GET', key, `?uploadId=${uploadId}`));
  if (answer.status === 404) return null;
  return [...(await answer.text()).matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
};

export const s3TestCommands = { s3ObjectSha256, s3ListParts };

declare module 'vitest/browser' {
  interface BrowserCommands {
    s3ObjectSha256(key: string): Promise<string | null>;
    s3ListParts(key: string, uploadId: string): Promise<number[] | null>;
  }
}
