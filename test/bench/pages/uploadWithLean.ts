import { createUploader, s3Multipart, tus, type UploadSnapshot, type Uploader } from '../../../src/index.js';
import type { LeanFigures, PageOptions, UploadOutcome } from './pageProtocol.js';

/** lean-upload with its defaults; only the protocol and the checksum option vary between contenders. */
export function uploadWithLean(files: File[], options: PageOptions): Promise<UploadOutcome> {
  const uploader = createUploader({
    protocol: options.protocol === 's3' ? s3Multipart({ endpoint: options.endpoint }) : tus({ endpoint: options.endpoint }),
    ...(options.checksum !== undefined ? { checksum: options.checksum } : {}),
  });
  const total = files.reduce((sum, file) => sum + file.size, 0);
  let createdAtWarmup: number | null = null;
  let notifications = 0;

  return new Promise<UploadOutcome>((resolve, reject) => {
    const settle = (): void => {
      const snapshot = uploader.getSnapshot();
      if (createdAtWarmup === null && snapshot.totals.bytesAcknowledged >= total / 4) {
        createdAtWarmup = snapshot.memory.buffersCreated;
      }
      const { completed, failed } = snapshot.totals;
      if (completed + failed < files.length) return;
      unsubscribe();
      if (failed > 0) {
        const first = snapshot.files.find((file) => file.status === 'failed');
        reject(new Error(`lean-upload: ${failed} failed, first: ${first?.error?.message ?? 'unknown'}`));
      } else {
        resolve(outcome(uploader, snapshot, createdAtWarmup ?? snapshot.memory.buffersCreated, notifications));
      }
    };
    const unsubscribe = uploader.subscribe(() => {
      notifications += 1;
      settle();
    });
    uploader.add(files);
    settle();
  });
}

function outcome(uploader: Uploader, snapshot: UploadSnapshot, createdAtWarmup: number, notifications: number): UploadOutcome {
  const urls = snapshot.files.map((file) => {
    if (!file.url) throw new Error(`lean-upload: no upload URL for ${file.name}`);
    return file.url;
  });
  const { memory } = snapshot;
  const lean: LeanFigures = {
    budgetBytes: memory.budgetBytes,
    peakInFlightBytes: memory.peakInFlightBytes,
    buffersCreated: memory.buffersCreated,
    buffersCreatedAfterWarmup: memory.buffersCreated - createdAtWarmup,
    buffersReused: memory.buffersReused,
    leaksDetected: memory.leaksDetected,
    notifications,
  };
  uploader.destroy();
  return { urls, lean };
}
