import { rejection } from './locale.js';
import type { Rejection, Restrictions } from './types.js';

/**
 * Check one file against the synchronous restrictions. `held` is how many files the uploader holds
 * already and `heldBytes` their size (canceled and rejected ones do not count). Returns null when
 * the file is accepted. Rejections are data: a code and params a UI words in its language, and
 * an English message that names the file and the broken rule.
 */
export function checkRestrictions(file: File, restrictions: Restrictions | undefined, held: number, heldBytes = 0): Rejection | null {
  const { accept, maxFileSize = Infinity, minFileSize = 0, maxFiles = Infinity, maxTotalSize = Infinity } = restrictions ?? {};
  const { name, size } = file;
  if (held >= maxFiles) return rejection('too-many-files', { name, n: maxFiles });
  if (accept?.length && !isAccepted(file, accept)) return rejection('file-type-not-accepted', { name, accepted: accept });
  if (size > maxFileSize) return rejection('file-too-large', { name, size, limit: maxFileSize });
  if (size < minFileSize) return rejection('file-too-small', { name, size, limit: minFileSize });
  if (heldBytes + size > maxTotalSize) return rejection('total-too-large', { name, size: heldBytes + size, limit: maxTotalSize });
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
