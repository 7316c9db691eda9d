const MiB = 1024 * 1024;

export type ChecksumSetting = 'auto' | 'sha-256' | 'off';
export type ServerSetting = '/files' | '/files-checksum' | '/s3' | '/files-s3' | '/resumable';
export type LanguageSetting = 'en' | 'de' | 'zh-CN';
export type ThemeSetting = 'system' | 'light' | 'dark';
export type StartSetting = 'auto' | 'manual';

/** What a visitor may change; each change builds a fresh uploader. */
export interface DemoSettings {
  partSize: number;
  memoryBudget: number;
  concurrency: number;
  checksum: ChecksumSetting;
  server: ServerSetting;
  /** 'manual': files wait for Upload all (autoStart: false). */
  start: StartSetting;
  /** Display only: they change the widget in place, never the uploader. */
  language: LanguageSetting;
  theme: ThemeSetting;
}

export const DEFAULT_SETTINGS: DemoSettings = {
  partSize: 8 * MiB,
  memoryBudget: 64 * MiB,
  concurrency: 3,
  checksum: 'auto',
  server: '/files-checksum',
  start: 'auto',
  language: 'en',
  theme: 'system',
};

export interface Choice<T> {
  value: T;
  label: string;
}

export const PART_SIZES: readonly Choice<number>[] = [1, 2, 4, 8, 16, 32].map((n) => ({
  value: n * MiB,
  label: `${n} MiB`,
}));

export const MEMORY_BUDGETS: readonly Choice<number>[] = [16, 32, 64, 128, 256].map((n) => ({
  value: n * MiB,
  label: `${n} MiB`,
}));

export const CONCURRENCIES: readonly Choice<number>[] = [1, 2, 3, 4, 6].map((n) => ({ value: n, label: String(n) }));

export const CHECKSUMS: readonly Choice<ChecksumSetting>[] = [
  { value: 'auto', label: 'Auto (if the server verifies)' },
  { value: 'sha-256', label: 'SHA-256 on every chunk' },
  { value: 'off', label: 'Off' },
];

export const SERVERS: readonly Choice<ServerSetting>[] = [
  { value: '/files-checksum', label: 'tus, verifies checksums' },
  { value: '/files', label: 'tus, plain' },
  { value: '/s3', label: 'S3 multipart (OpenStack Swift)' },
  { value: '/files-s3', label: 'tus, stored on S3 (@tus/s3-store)' },
  { value: '/resumable', label: 'Resumable PUT (308)' },
];

export const STARTS: readonly Choice<StartSetting>[] = [
  { value: 'auto', label: 'At once' },
  { value: 'manual', label: 'On “Upload all”' },
];

// Each label in its own language, so a visitor finds theirs.
export const LANGUAGES: readonly Choice<LanguageSetting>[] = [
  { value: 'en', label: 'English' },
  { value: 'de', label: 'Deutsch' },
  { value: 'zh-CN', label: '简体中文' },
];

export const THEMES: readonly Choice<ThemeSetting>[] = [
  { value: 'system', label: 'Like the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/**
 * A stable key for the settings, so the page remounts the uploader only when one really changed
 * (language and theme change the display only).
 */
export function settingsKey(settings: DemoSettings): string {
  return [settings.partSize, settings.memoryBudget, settings.concurrency, settings.checksum, settings.server, settings.start].join('|');
}
