/**
 * SHA-256 of `bytes` via SubtleCrypto on the calling thread (Chromium blocks it: ~100 ms per 8 MiB);
 * LeaseHasher reads and hashes parts in a worker instead. A module apart from toBase64 (base64.ts),
 * which every protocol loads at startup: only the main-thread fallback (hashOnPage) uses this one.
 */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  const digest = await crypto.subtle.digest('SHA-256', unshared(bytes));
  return new Uint8Array(digest);
}

/** WebCrypto refuses views of a SharedArrayBuffer; every other view is hashed in place. */
function unshared(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer) return bytes.slice();
  return bytes as Uint8Array<ArrayBuffer>;
}
