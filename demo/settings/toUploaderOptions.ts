import { tus } from '../../src/index.js';
import type { UploaderOptions } from '../../src/index.js';
import type { DemoSettings } from './demoSettings.js';

export function toUploaderOptions(settings: DemoSettings): UploaderOptions {
  return {
    protocol: tus({ endpoint: settings.server }),
    chunkSize: settings.chunkSize,
    memoryBudget: settings.memoryBudget,
    concurrency: settings.concurrency,
    checksum: settings.checksum === 'off' ? false : settings.checksum,
  };
}
