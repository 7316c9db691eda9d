import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { SourceFile } from './generateFiles.js';

/**
 * Hashes each stored upload (found by the last segment of the URL the page reported) and
 * compares it with its source. Returns the list of problems; empty means every byte arrived.
 */
export async function verifyUploads(directory: string, sources: readonly SourceFile[], urls: readonly string[]): Promise<string[]> {
  if (urls.length !== sources.length) return [`${urls.length} upload URLs for ${sources.length} files`];
  const problems: string[] = [];
  const seen = new Set<string>();
  // A few at a time: enough to overlap disk and hashing without flooding the shared cores.
  for (let index = 0; index < sources.length; index += 4) {
    const batch = sources.slice(index, index + 4).map(async (source, offset) => {
      const url = urls[index + offset] ?? '';
      const id = new URL(url, 'http://localhost').pathname.split('/').pop() ?? '';
      if (!id || seen.has(id)) return `${path.basename(source.path)}: bad or repeated upload URL "${url}"`;
      seen.add(id);
      const stored = await sha256(path.join(directory, id)).catch((error: unknown) => `unreadable (${String(error)})`);
      return stored === source.sha256 ? undefined : `${path.basename(source.path)}: stored ${stored}, source ${source.sha256}`;
    });
    for (const problem of await Promise.all(batch)) if (problem) problems.push(problem);
  }
  return problems;
}

/** Deletes every stored upload (bytes and .json info) so a 1 GiB run does not fill the disk. */
export async function clearUploads(directory: string): Promise<void> {
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
}

async function sha256(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
