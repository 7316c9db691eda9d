import type { Rejection, RejectionParams, RestrictionCode } from './types.js';

/** Plural forms, chosen by `Intl.PluralRules` on the `{n}` parameter; `other` is required. */
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
/** A message with `{name}`-style placeholders, or its plural forms. */
export type Text = string | Plural;
export type TextParams = Readonly<Record<string, string | number | undefined>>;

/**
 * The part of a locale the core needs: the language for `Intl`, and one message per restriction
 * rule (`reason` words an app's own reason: onBeforeFileAdded's or validate's).
 */
export interface RuleTexts {
  /** BCP 47 language tag handed to every `Intl` formatter, e.g. 'de' or 'zh-CN'. */
  readonly lang: string;
  readonly rules: Readonly<Record<RestrictionCode | 'reason', Text>>;
}

/** English restriction messages; the React locale `en` extends them with the widget's words. */
export const enRules: RuleTexts = {
  lang: 'en',
  rules: {
    'file-too-large': '{name} is {size}; the largest allowed is {limit} (maxFileSize).',
    'file-too-small': '{name} is {size}; the smallest allowed is {limit} (minFileSize).',
    'too-many-files': { one: '{name} was not added: at most {n} file allowed (maxFiles).', other: '{name} was not added: at most {n} files allowed (maxFiles).' },
    'file-type-not-accepted': '{name} is not an accepted type; accepted: {accepted} (accept).',
    'total-too-large': '{name} was not added: all files together may be at most {limit} (maxTotalSize).',
    'invalid-file': '{name} was not added (validate).',
    refused: '{name} was not added (onBeforeFileAdded).',
    reason: '{name} was not added: {reason}',
  },
};

const formats = new Map<string, Intl.NumberFormat>();

/** One NumberFormat per language and options: building one costs far more than using it. */
export function numberFormat(lang: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = lang + JSON.stringify(options);
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.NumberFormat(lang, options)));
  return format;
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/**
 * "12.3 MB", "12,3 MB", "5 bytes": decimal units (1 kB = 1000 B), as `Intl` names them; `per`
 * 'second' gives a speed ("2.1 MB/s").
 */
export function formatBytes(bytes: number, lang = 'en', per?: 'second'): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  // 999,960 B would round to "1,000 kB": move up a unit before rounding gets there.
  while (value >= 999.95 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return numberFormat(lang, {
    style: 'unit',
    unit: per ? `${BYTE_UNITS[unit]}-per-${per}` : BYTE_UNITS[unit],
    unitDisplay: unit === 0 && !per ? 'long' : 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/** Fill `{key}` placeholders (numbers in the language's digits); a plural picks its form by `{n}`. */
export function fill(text: Text, params: TextParams, lang: string): string {
  const n = Number(params.n);
  const template = typeof text === 'string' ? text : (text[new Intl.PluralRules(lang).select(n)] ?? text.other);
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = params[key];
    if (value === undefined) return whole;
    return typeof value === 'number' ? numberFormat(lang).format(value) : value;
  });
}

/** A rejection's message in a language: `size` and `limit` are bytes, `n` a count. */
export function describeRejection(rejection: Pick<Rejection, 'code' | 'params'>, texts: RuleTexts = enRules): string {
  const { params } = rejection;
  const { lang, rules } = texts;
  const bytes = (value: number | undefined) => (value === undefined ? undefined : formatBytes(value, lang));
  const shown = { ...params, size: bytes(params.size), limit: bytes(params.limit), accepted: params.accepted?.join(', ') };
  return fill(params.reason ? rules.reason : rules[rejection.code], shown, lang);
}

/** A rejection as data (code and params) with its English message. */
export function rejection(code: RestrictionCode, params: RejectionParams): Rejection {
  return { code, params, message: describeRejection({ code, params }) };
}
