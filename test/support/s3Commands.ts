import { createHash } from 'node:crypto';
import { GetObjectCommand, ListMultipartUploadsCommand, ListPartsCommand, NoSuchKey, NoSuchUpload } from '@aws-sdk/client-s3';
import type { Plugin } from 'vite';
import type { BrowserCommand, BrowserCommandContext } from 'vitest/node';
import type { S3Backend } from '../../demo/server/createS3Backend.js';
import { S3_PLUGIN_NAME, type S3PluginApi } from '../../demo/server/s3Plugin.js';

/** Server-side helpers for the S3 browser tests: they ask the real S3 engine (Swift) through the AWS SDK. */

async function backend(ctx: BrowserCommandContext): Promise<S3Backend> {
  for (const server of [ctx.project.browser?.vite, ctx.project.vite]) {
    const plugin = server?.config.plugins.find((p): p is Plugin<S3PluginApi> => p.name === S3_PLUGIN_NAME);
    if (plugin?.api) return plugin.api.backend();
  }
  throw new Error('the browser project does not mount s3Plugin');
}

/** SHA-256 (hex) of a stored object, read back through the S3 API; null when there is no such object. */
const s3ObjectSha256: BrowserCommand<[key: string]> = async (ctx, key) => {
  const { client, bucket } = await backend(ctx);
  try {
    const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const hash = createHash('sha256');
    for await (const chunk of Body as AsyncIterable<Uint8Array>) hash.update(chunk);
    return hash.digest('hex');
  } catch (error) {
    if (error instanceof NoSuchKey) return null;
    throw error;
  }
};

/** Part numbers S3 holds for an upload (ListParts); null when S3 no longer knows the upload. */
const s3ListParts: BrowserCommand<[key: string, uploadId: string]> = async (ctx, key, uploadId) => {
  const { client, bucket } = await backend(ctx);
  try {
    const listed = await client.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    return (listed.Parts ?? []).map((part) => part.PartNumber);
  } catch (error) {
    if (error instanceof NoSuchUpload) return null;
    throw error;
  }
};

/** Upload ids of the multipart uploads S3 holds open for a key (ListMultipartUploads). */
const s3OpenUploads: BrowserCommand<[key: string]> = async (ctx, key) => {
  const { client, bucket } = await backend(ctx);
  const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }));
  return (listed.Uploads ?? []).filter((upload) => upload.Key === key).map((upload) => upload.UploadId);
};

export const s3TestCommands = { s3ObjectSha256, s3ListParts, s3OpenUploads };

declare module 'vitest/browser' {
  interface BrowserCommands {
    s3ObjectSha256(key: string): Promise<string | null>;
    s3ListParts(key: string, uploadId: string): Promise<number[] | null>;
    s3OpenUploads(key: string): Promise<string[]>;
  }
}
