import { resumablePut, s3Multipart, tus } from '../../src/index.js';
import type { UploaderOptions } from '../../src/index.js';
import type { DemoSettings } from './demoSettings.js';

export function toUploaderOptions(settings: DemoSettings): UploaderOptions {
  return {
    // S3 parts sit on a grid of at least 5 MiB; a smaller chunk size asks for the smallest.
    protocol:
      settings.server === '/s3'
        ? s3Multipart({ endpoint: '/s3', partSize: settings.chunkSize })
        : settings.server === '/resumable'
          ? resumablePut({ endpoint: '/resumable' })
          : tus({ endpoint: settings.server }),
    chunkSize: settings.chunkSize,
    memoryBudget: settings.memoryBudget,
    concurrency: settings.concurrency,
    checksum: settings.checksum === 'off' ? false : settings.checksum,
    autoStart: settings.start === 'auto',
  };
}
