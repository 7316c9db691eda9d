import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export interface StoredUpload {
  path: string;
  size: number;
  sha256: string;
}

interface TusInfo {
  id?: string;
  metadata?: Record<string, string | null>;
}

/**
 * Finds the upload the tus FileStore keeps for `filename` (its `<id>.json` records the metadata)
 * anywhere under `directory`, so the lookup works for both the plain and the checksum store.
 */
export async function findStoredUpload(directory: string, filename: string): Promise<StoredUpload[]> {
  const found: StoredUpload[] = [];
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const infoPath = path.join(entry.parentPath, entry.name);
    const info = JSON.parse(await readFile(infoPath, 'utf8')) as TusInfo;
    if (info.metadata?.filename !== filename) continue;
    const dataPath = infoPath.slice(0, -'.json'.length);
    found.push({ path: dataPath, size: (await stat(dataPath)).size, sha256: await sha256OfFile(dataPath) });
  }
  return found;
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Tests delete what they stored, so .uploads/demo does not grow by tens of MiB per run. */
export async function removeStoredUpload(upload: StoredUpload): Promise<void> {
  await Promise.all([rm(upload.path, { force: true }), rm(`${upload.path}.json`, { force: true })]);
}
