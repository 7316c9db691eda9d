import { CONFIGURABLE_OPTIONS } from '../index.js';
import type { ConfigurableOption, Uploader, UploaderOptions } from '../index.js';

type Configurable = Partial<Pick<UploaderOptions, ConfigurableOption>>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Structural equality for option values written inline (`restrictions={{ accept: ['.pdf'] }}`),
 * so a re-render with equal options does not reconfigure. Functions compare by identity.
 */
export function sameOption(a: unknown, b: unknown, depth = 0): boolean {
  if (Object.is(a, b)) return true;
  if (depth > 3) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameOption(item, b[i], depth + 1));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => key in b && sameOption(a[key], b[key], depth + 1));
  }
  return false;
}

/** The configurable options that differ between two option objects. */
export function changedOptions(previous: Configurable, next: Configurable): Configurable | null {
  const changed = CONFIGURABLE_OPTIONS.filter((key) => !sameOption(previous[key], next[key]));
  return changed.length > 0 ? Object.fromEntries(changed.map((key) => [key, next[key]])) : null;
}

/**
 * The options fixed when the uploader is created (the pool, the part sizes, the protocol...); the
 * others are CONFIGURABLE_OPTIONS. Functions (clock, random) and injected objects are left out: an
 * inline one is a new object on every render, so a change could not be told from a re-render.
 */
const FIXED_OPTIONS = [
  'protocol',
  'memoryBudget',
  'partSize',
  'maxPartSize',
  'checksum',
  'resume',
  'fileHandles',
  'resumeTtl',
  'poolIdleTimeout',
  'progressInterval',
] as const satisfies readonly Exclude<keyof UploaderOptions, ConfigurableOption>[];

/** What is compared of a fixed option: a protocol by its name and endpoint, an object only as "an object". */
function fixedValue(options: UploaderOptions, key: (typeof FIXED_OPTIONS)[number]): unknown {
  const value = options[key];
  if (key === 'protocol') return `${options.protocol.name} ${options.protocol.endpoint}`;
  return typeof value === 'object' && value !== null ? 'object' : value;
}

/** The fixed options whose value differs: these are ignored by a running uploader. */
export function changedFixedOptions(previous: UploaderOptions, next: UploaderOptions): string[] {
  return FIXED_OPTIONS.filter((key) => fixedValue(previous, key) !== fixedValue(next, key));
}

// Bundlers replace process.env.NODE_ENV; the typeof guard keeps unbundled browser code from throwing.
// Once replaced, both branches read "production" and minifiers fold the test to `false`, dropping the
// warning code. (`typeof process !== 'undefined' && false`, the usual form, is not folded by
// rolldown/oxc; a boolean ternary is rewritten to that form by Vite's library build.)
const mode = typeof process === 'object' ? process.env.NODE_ENV : 'production';
const development = mode !== 'production';

/**
 * Pushes the live options that changed into an owned uploader with `configure()`. In development, a
 * change to an option that cannot change live warns once per option (it is ignored); `record.warned`
 * holds those already named for this uploader.
 */
export function syncOptions(uploader: Uploader, previous: UploaderOptions, next: UploaderOptions, record: { warned?: Set<string> }): void {
  const changed = changedOptions(previous, next);
  if (changed) uploader.configure(changed);
  if (development) warnFixed(changedFixedOptions(previous, next), (record.warned ??= new Set()));
}

function warnFixed(keys: readonly string[], warned: Set<string>): void {
  for (const key of keys) {
    if (warned.has(key)) continue;
    warned.add(key);
    console.warn(
      `lean-upload: the option "${key}" changed after the uploader was created; it cannot change live and is ignored. ` +
        'Remount the component (e.g. with a React key) to create an uploader with it.',
    );
  }
}
