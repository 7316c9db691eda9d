/** Words and numbers shown by the widget; kept in one place so custom layouts can reuse them. */
import { formatBytes } from '../index.js';
import type { FileStatus, UploadWaiting } from '../index.js';

export { formatBytes };

export function formatSpeed(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** "8 s", "2 min 5 s", "1 h 3 min"; an empty string when unknown. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '';
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return whole % 60 === 0 ? `${minutes} min` : `${minutes} min ${whole % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** Whole percent, rounded down so 100 means done rather than almost done. */
export function toPercent(fraction: number): number {
  if (!Number.isFinite(fraction) || fraction <= 0) return 0;
  return Math.min(100, Math.floor(fraction * 100));
}

/** "42% — 12.3 MiB of 29 MiB": the spoken value of a progress bar. */
export function progressText(fraction: number, done: number, total: number): string {
  return `${toPercent(fraction)}% — ${formatBytes(done)} of ${formatBytes(total)}`;
}

export const statusLabels: Readonly<Record<FileStatus, string>> = {
  queued: 'Waiting',
  uploading: 'Uploading',
  paused: 'Paused',
  completed: 'Uploaded',
  failed: 'Failed',
  canceled: 'Canceled',
  rejected: 'Not added',
};

/** Why an uploading file sends nothing (FileSnapshot.waiting). */
export const waitingLabels: Readonly<Record<Exclude<UploadWaiting, null>, string>> = {
  offline: 'offline, waiting',
  'other-tab': 'uploading in another tab',
};
