import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SourceFile {
  path: string;
  size: number;
  sha256: string;
}

const MiB = 1024 * 1024;
const BLOCK = 16 * MiB;

/**
 * Random files in a temp folder, written once and reused by later runs (the manifest keeps
 * their digests, so the runner never re-reads a source to verify an upload).
 */
export function generateFiles(name: string, count: number, sizeBytes: number): SourceFile[] {
  const directory = path.join(os.tmpdir(), 'lean-upload-bench', name);
  const manifestPath = path.join(directory, 'manifest.json');
  const reused = readManifest(manifestPath, count, sizeBytes);
  if (reused) return reused;

  mkdirSync(directory, { recursive: true });
  const block = Buffer.allocUnsafe(Math.min(BLOCK, sizeBytes));
  const files: SourceFile[] = [];
  for (let index = 0; index < count; index += 1) {
    const filePath = path.join(directory, `file-${String(index + 1).padStart(4, '0')}.bin`);
    files.push({ path: filePath, size: sizeBytes, sha256: writeRandom(filePath, sizeBytes, block) });
  }
  writeFileSync(manifestPath, JSON.stringify(files, null, 1));
  return files;
}

function writeRandom(filePath: string, size: number, block: Buffer): string {
  const hash = createHash('sha256');
  const fd = openSync(filePath, 'w');
  try {
    for (let written = 0; written < size; ) {
      const view = block.subarray(0, Math.min(block.length, size - written));
      randomFillSync(view);
      hash.update(view);
      written += writeSync(fd, view);
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function readManifest(manifestPath: string, count: number, size: number): SourceFile[] | undefined {
  if (!existsSync(manifestPath)) return undefined;
  const files = JSON.parse(readFileSync(manifestPath, 'utf8')) as SourceFile[];
  const intact = files.length === count && files.every((file) => file.size === size && sizeOnDisk(file.path) === size);
  return intact ? files : undefined;
}

function sizeOnDisk(filePath: string): number {
  return existsSync(filePath) ? statSync(filePath).size : -1;
}
