/**
 * The page of test/server/s3ChecksumRecorded.test.ts: uploads generated files with the library's S3
 * protocol (checksum 'auto', every default) through the signing handler on this page's origin.
 */
import { createUploader } from '../../../src/index.ts';
import { s3Multipart } from '../../../src/protocols/index.ts';
import type { ChecksumAlgorithm } from '../../../src/core/ports.ts';

export interface PageFile {
  name: string;
  size: number;
  seed: number;
}

export interface PageResult {
  files: { name: string; status: string; error: string | null; sha256: string }[];
  memory: { buffersCreated: number; leasedBuffers: number; peakInFlightBytes: number; budgetBytes: number };
}

function generate({ name, size, seed }: PageFile): File {
  const bytes = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return new File([bytes], name, { type: 'application/octet-stream' });
}

async function sha256Hex(file: File): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function runUpload(specs: PageFile[], checksumAlgorithm?: ChecksumAlgorithm): Promise<PageResult> {
  const protocol = s3Multipart({ endpoint: '/s3', ...(checksumAlgorithm ? { checksumAlgorithm } : {}) });
  const uploader = createUploader({ protocol, resume: false });
  const files = specs.map(generate);
  uploader.add(files);
  await new Promise<void>((resolve) => {
    const check = (): void => {
      if (uploader.getSnapshot().files.every((f) => f.status === 'completed' || f.status === 'failed')) resolve();
    };
    uploader.subscribe(check);
    check();
  });
  const snapshot = uploader.getSnapshot();
  const result: PageResult = {
    files: await Promise.all(snapshot.files.map(async (f, i) => ({
      name: f.name,
      status: f.status,
      error: f.error ? `${f.error.code}: ${f.error.message}` : null,
      sha256: await sha256Hex(files[i]!),
    }))),
    memory: {
      buffersCreated: snapshot.memory.buffersCreated,
      leasedBuffers: snapshot.memory.leasedBuffers,
      peakInFlightBytes: snapshot.memory.peakInFlightBytes,
      budgetBytes: snapshot.memory.budgetBytes,
    },
  };
  uploader.destroy();
  return result;
}

Object.assign(globalThis, { runUpload });
