import Uppy from '@uppy/core';
import Tus, { type TusOpts } from '@uppy/tus';
import type { Meta, Body } from '@uppy/core';
import type { PageOptions, UploadOutcome } from './pageProtocol.js';

/** Uppy core + @uppy/tus with its defaults (20 uploads at once), all files added in one call. */
export async function uploadWithUppy(files: File[], options: PageOptions): Promise<UploadOutcome> {
  const tusOptions: TusOpts<Meta, Body> = { endpoint: options.endpoint };
  if (options.chunkSize !== undefined) tusOptions.chunkSize = options.chunkSize;
  const uppy = new Uppy().use(Tus, tusOptions);
  uppy.addFiles(files.map((file) => ({ name: file.name, type: file.type, data: file, source: 'bench' })));
  const result = await uppy.upload();
  if (!result) throw new Error('Uppy returned no result');
  const failed = result.failed ?? [];
  if (failed.length > 0) throw new Error(`Uppy: ${failed.length} failed, first: ${String(failed[0]?.error)}`);
  const byName = new Map((result.successful ?? []).map((file) => [file.name, file.uploadURL]));
  const urls = files.map((file) => {
    const url = byName.get(file.name);
    if (!url) throw new Error(`Uppy: no upload URL for ${file.name}`);
    return url;
  });
  uppy.destroy();
  return { urls };
}
