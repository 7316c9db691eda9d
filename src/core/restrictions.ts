import type { Rejection, Restrictions } from './types.js';

/**
 * Check one file against the restrictions. `held` is how many files the uploader holds already
 * (canceled and rejected ones do not count). Returns null when the file is accepted.
 * Rejections are data: the message names the rule so the UI can show it as is.
 */
export function checkRestrictions(file: File, restrictions: Restrictions | undefined, held: number): Rejection | null {
  if (!restrictions) return null;
  const { accept, maxFileSize, minFileSize, maxFiles } = restrictions;
  if (maxFiles !== undefined && held >= maxFiles) {
    return {
      code: 'too-many-files',
      message: `${file.name} was not added: at most ${maxFiles} file${maxFiles === 1 ? '' : 's'} allowed (maxFiles).`,
    };
  }
  if (accept && accept.length > 0 && !isAccepted(file, accept)) {
    return {
      code: 'file-type-not-accepted',
      message: `${file.name} is not an accepted type; accepted: ${accept.join(', ')} (accept).`,
    };
  }
  if (maxFileSize !== undefined && file.size > maxFileSize) {
    return {
      code: 'file-too-large',
      message: `${file.name} is ${formatBytes(file.size)}; the largest allowed is ${formatBytes(maxFileSize)} (maxFileSize).`,
    };
  }
  if (minFileSize !== undefined && file.size < minFileSize) {
    return {
      code: 'file-too-small',
      message: `${file.name} is ${formatBytes(file.size)}; the smallest allowed is ${formatBytes(minFileSize)} (minFileSize).`,
    };
  }
  return null;
}

/** Same rules as the `accept` attribute of <input type=file>: MIME types, `type/*`, or `.ext`. */
export function isAccepted(file: Pick<File, 'name' | 'type'>, accept: readonly string[]): boolean {
  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase();
  return accept.some((raw) => {
    const rule = raw.trim().toLowerCase();
    if (rule.startsWith('.')) return name.endsWith(rule);
    if (rule.endsWith('/*')) return type.startsWith(rule.slice(0, -1));
    return rule === type;
  });
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : Number(value.toFixed(1))} ${units[unit]}`;
}
