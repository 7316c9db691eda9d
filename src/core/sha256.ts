/** Standard base64 (with padding), as Upload-Checksum headers expect. (The digest is in sha256Digest.ts.) */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Bounded batches: spreading a large array into fromCharCode overflows the call stack.
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}
