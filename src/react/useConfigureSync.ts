import { useEffect, useRef } from 'react';
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

/** Pushes live option changes into an owned uploader with `configure()` after each commit. */
export function useConfigureSync(uploader: Uploader, options: UploaderOptions | null): void {
  const applied = useRef<{ uploader: Uploader; options: Configurable } | null>(null);
  useEffect(() => {
    if (!options) return;
    const previous = applied.current;
    applied.current = { uploader, options };
    // A new uploader was created from these very options: nothing to push.
    if (!previous || previous.uploader !== uploader) return;
    const changed = changedOptions(previous.options, options);
    if (changed) uploader.configure(changed);
  });
}
