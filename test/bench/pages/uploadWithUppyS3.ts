import Uppy from '@uppy/core';
import AwsS3, { type AwsBody } from '@uppy/aws-s3';
import type { Meta } from '@uppy/core';
import type { PageOptions, UploadOutcome } from './pageProtocol.js';

/**
 * Uppy core + @uppy/aws-s3 with its defaults (multipart above 100 MB, 6 files at once, parts of a
 * file one after another), signing every S3 request through the bench's backend: `endpoint`
 * answers a JSON PresignableRequest with { url, headers? } signed by the AWS SDK.
 */
export async function uploadWithUppyS3(files: File[], options: PageOptions): Promise<UploadOutcome> {
  const uppy = new Uppy<Meta, AwsBody>().use(AwsS3<Meta, AwsBody>, {
    signRequest: async (request) => {
      const response = await fetch(options.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
      if (!response.ok) throw new Error(`signing failed: ${response.status} ${await response.text()}`);
      return (await response.json()) as { url: string; headers?: Record<string, string> };
    },
  });
  uppy.addFiles(files.map((file) => ({ name: file.name, type: file.type, data: file, source: 'bench' })));
  const result = await uppy.upload();
  if (!result) throw new Error('Uppy returned no result');
  const failed = result.failed ?? [];
  if (failed.length > 0) throw new Error(`Uppy S3: ${failed.length} failed, first: ${String(failed[0]?.error)}`);
  const byName = new Map((result.successful ?? []).map((file) => [file.name, file.response?.body?.key ?? file.uploadURL]));
  const urls = files.map((file) => {
    const key = byName.get(file.name);
    if (!key) throw new Error(`Uppy S3: no object key for ${file.name}`);
    return key;
  });
  uppy.destroy();
  return { urls };
}
