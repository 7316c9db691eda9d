import type { Rejection, RestrictionCode, Restrictions } from './types.js';

/**
 * Check one file against the restrictions. `held` is how many files the uploader holds already
 * (canceled and rejected ones do not count). Returns null when the file is accepted.
 * Rejections are data: the message names the rule so the UI can show it as is.
 */
export function checkRestrictions(file: File, restrictions: Restrictions | undefined, held: number): Rejection | null {
  const { accept, maxFileSize = Infinity, minFileSize = 0, maxFiles = Infinity } = restrictions ?? {};
  const { name, size } = file;
  // The message names the file and the broken rule, so the UI can show it as is.
  const reject = (code: RestrictionCode, detail: string, rule: string): Rejection => ({ code, message: `${name} ${detail} (${rule}).` });
  if (held >= maxFiles) return reject('too-many-files', `was not added: at most ${maxFiles} file${maxFiles === 1 ? '' : 's'} allowed`, 'maxFiles');
  if (accept?.length && !isAccepted(file, accept)) {
    return reject('file-type-not-accepted', `is not an accepted type; accepted: ${accept.join(', ')}`, 'accept');
  }
  if (size > maxFileSize) return reject('file-too-large', `is ${formatBytes(size)}; the largest allowed is ${formatBytes(maxFileSize)}`, 'maxFileSize');
  if (size < minFileSize) return reject('file-too-small', `is ${formatBytes(size)}; the smallest allowed is ${formatBytes(minFileSize)}`, 'minFileSize');
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
