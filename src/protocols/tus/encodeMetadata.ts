import { toBase64 } from '../../core/base64.js';
import { UploadError } from '../../core/UploadError.js';

/**
 * The Upload-Metadata header: comma-separated `key base64(value)` pairs. Values are UTF-8 before
 * base64 (btoa alone throws on anything outside Latin-1, e.g. 'résumé 履歴書.txt').
 * An empty value is sent as the bare key, as the spec allows.
 */
export function encodeMetadata(metadata: Record<string, string>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(metadata)) {
    if (key === '' || /[\s,]/.test(key)) {
      throw new UploadError('protocol', `Upload-Metadata key ${JSON.stringify(key)} must be non-empty, without spaces or commas`);
    }
    pairs.push(value === '' ? key : `${key} ${toBase64(new TextEncoder().encode(value))}`);
  }
  return pairs.join(',');
}
