/** Words and numbers shown by the widget, in the language of a locale; custom layouts reuse them. */
import { createContext, useContext } from 'react';
import { describeRejection, fill, formatBytes, numberFormat } from '../index.js';
import type { Rejection, TextParams, UploadError } from '../index.js';
import { en } from './locale.js';
import type { Locale, Words } from './locale.js';

export { formatBytes };

/** A locale bound to its formatters. */
export interface Format {
  readonly locale: Locale;
  /** One of the locale's words, placeholders filled. */
  t(key: keyof Words, params?: TextParams): string;
  bytes(bytes: number): string;
  speed(bytesPerSecond: number): string;
  /** Whole percent, rounded down so 100% means done rather than almost done. */
  percent(fraction: number): string;
  /** Time left ("2 min, 5 sec"); an empty string when unknown. */
  eta(seconds: number | null): string;
  /** "42% — 12.3 MB of 29 MB": the spoken value of a progress bar. */
  progress(fraction: number, done: number, total: number): string;
  /** A rejection worded again in this language from its code and params. */
  rejection(rejection: Rejection): string;
  /** A failed upload's sentence for the user, by its code; the technical message for a code without one. */
  failure(error: UploadError): string;
}

/** Whole percent, rounded down so 100 means done rather than almost done. */
export function toPercent(fraction: number): number {
  if (!Number.isFinite(fraction) || fraction <= 0) return 0;
  return Math.min(100, Math.floor(fraction * 100));
}

type DurationFormatConstructor = new (lang: string, options: { style: 'short' }) => { format(duration: Record<string, number>): string };

/** Hours and minutes, minutes and seconds, or seconds; by Intl.DurationFormat where the browser has it. */
export function formatEta(seconds: number | null, lang = 'en'): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '';
  const whole = Math.max(1, Math.ceil(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor(whole / 60) % 60;
  const units: [string, number][] = hours ? [['hour', hours], ['minute', minutes]] : minutes ? [['minute', minutes], ['second', whole % 60]] : [['second', whole]];
  const shown = units.filter(([, value], i) => i === 0 || value > 0);
  const Duration = (Intl as { DurationFormat?: DurationFormatConstructor }).DurationFormat;
  if (Duration) return new Duration(lang, { style: 'short' }).format(Object.fromEntries(shown.map(([unit, value]) => [`${unit}s`, value])));
  return shown.map(([unit, value]) => numberFormat(lang, { style: 'unit', unit, unitDisplay: 'short' }).format(value)).join(' ');
}

export function formatSpeed(bytesPerSecond: number, lang = 'en'): string {
  return formatBytes(bytesPerSecond, lang, 'second');
}

export function createFormat(locale: Locale = en): Format {
  const { lang } = locale;
  const t = (key: keyof Words, params: TextParams = {}) => fill(locale.words[key], params, lang);
  const bytes = (value: number) => formatBytes(value, lang);
  const percent = (fraction: number) => numberFormat(lang, { style: 'percent' }).format(toPercent(fraction) / 100);
  return {
    locale,
    t,
    bytes,
    speed: (value) => formatSpeed(value, lang),
    percent,
    eta: (seconds) => formatEta(seconds, lang),
    progress: (fraction, done, total) => t('progress', { percent: percent(fraction), done: bytes(done), total: bytes(total) }),
    rejection: (rejection) => describeRejection(rejection, locale),
    failure: (error) => {
      // `?.`: a locale written in JavaScript before `errors` existed still shows the message, not a crash.
      const text = locale.errors?.[error.code as keyof Locale['errors']];
      return text ? fill(text, { status: error.response?.status ?? '?' }, lang) : error.message;
    },
  };
}

const english = /* @__PURE__ */ createFormat();

/** The Format the widget's parts use: <Uploader locale> provides it; English when none is given. */
export const LocaleContext = /* @__PURE__ */ createContext<Format>(english);

export function useFormat(): Format {
  return useContext(LocaleContext);
}

/** The English defaults, kept for layouts written before locales. */
export const statusLabels = en.status;

export function progressText(fraction: number, done: number, total: number): string {
  return english.progress(fraction, done, total);
}
