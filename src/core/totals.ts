import type { FileUpload } from './FileUpload.js';
import type { FileSnapshot, Totals } from './types.js';

/** How many files minFiles still wants; files being checked do not count until they are queued. */
export function filesNeeded(files: readonly FileUpload[], minFiles = 0): number {
  let held = 0;
  for (const file of files) if (file.status !== 'canceled' && file.status !== 'rejected' && file.status !== 'checking') held++;
  return Math.max(0, minFiles - held);
}

export function totalsOf(files: readonly FileSnapshot[], needed: number): Totals {
  let bytesTotal = 0;
  let bytesSent = 0;
  let bytesAcknowledged = 0;
  let speed = 0;
  let active = 0;
  let completed = 0;
  let failed = 0;
  let counted = 0;
  for (const file of files) {
    if (file.status === 'canceled' || file.status === 'rejected') continue;
    counted++;
    if (file.status === 'uploading') active++;
    if (file.status === 'completed') completed++;
    if (file.status === 'failed') failed++;
    bytesTotal += file.size;
    bytesSent += file.bytesSent;
    bytesAcknowledged += file.bytesAcknowledged;
    speed += file.speed;
  }
  const remaining = bytesTotal - bytesSent;
  return Object.freeze({
    files: files.length,
    active,
    completed,
    failed,
    bytesTotal,
    bytesSent,
    bytesAcknowledged,
    progress: bytesTotal > 0 ? bytesAcknowledged / bytesTotal : counted > 0 && completed === counted ? 1 : 0,
    speed,
    eta: remaining <= 0 && active === 0 ? null : speed > 0 ? remaining / speed : null,
    filesNeeded: needed,
  });
}
