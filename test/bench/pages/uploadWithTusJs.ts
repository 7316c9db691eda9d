import { Upload, type UploadOptions } from 'tus-js-client';
import type { PageOptions, UploadOutcome } from './pageProtocol.js';

/** tus-js-client as its README shows it: one Upload per file, all started at once. */
export async function uploadWithTusJs(files: File[], options: PageOptions): Promise<UploadOutcome> {
  const urls = await Promise.all(files.map((file) => uploadOne(file, options)));
  return { urls };
}

function uploadOne(file: File, options: PageOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const settings: UploadOptions = {
      endpoint: options.endpoint,
      metadata: { filename: file.name, filetype: file.type },
      onError: reject,
      onSuccess: () => (upload.url ? resolve(upload.url) : reject(new Error(`${file.name}: no upload URL`))),
    };
    if (options.chunkSize !== undefined) settings.chunkSize = options.chunkSize;
    const upload = new Upload(file, settings);
    upload.start();
  });
}
