import { resumablePut, s3Multipart, tus } from '../../src/index.js';
import type { UploaderOptions } from '../../src/index.js';
import type { DemoSettings } from './demoSettings.js';

function protocolOf(settings: DemoSettings): UploaderOptions['protocol'] {
  // S3 parts sit on a grid of at least 5 MiB; a smaller chunk size asks for the smallest.
  if (settings.server === '/s3') return s3Multipart({ endpoint: '/s3', partSize: settings.partSize });
  if (settings.server === '/resumable') return resumablePut({ endpoint: '/resumable' });
  return tus({ endpoint: settings.server });
}

export function toUploaderOptions(settings: DemoSettings): UploaderOptions {
  return {
    protocol: protocolOf(settings),
    partSize: settings.partSize,
    memoryBudget: settings.memoryBudget,
    concurrency: settings.concurrency,
    checksum: settings.checksum === 'off' ? false : settings.checksum,
    autoStart: settings.start === 'auto',
  };
}
