/** SHA-256 of `bytes` via SubtleCrypto on the calling thread (Chromium blocks it: ~100 ms per 8 MiB); LeaseHasher reads and hashes parts in a worker instead. */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  const digest = await crypto.subtle.digest('SHA-256', unshared(bytes));
  return new Uint8Array(digest);
}

/** Standard base64 (with padding), as Upload-Checksum headers expect. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Bounded batches: spreading a large array into fromCharCode overflows the call stack.
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

/** WebCrypto refuses views of a SharedArrayBuffer; every other view is hashed in place. */
function unshared(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer) return bytes.slice();
  return bytes as Uint8Array<ArrayBuffer>;
}
