/**
 * Dedicated worker that hashes pooled buffers: Chromium's SubtleCrypto digest blocks the calling
 * thread (~100 ms per 8 MiB), so the page stays responsive only if the digest runs here.
 * The buffer arrives transferred and goes back transferred, so the pool keeps its memory.
 */
import type { HashReply, HashRequest } from './LeaseHasher.js';

const scope = self;

scope.onmessage = async ({ data }: MessageEvent<HashRequest>) => {
  const { id, buffer, length } = data;
  let reply: HashReply;
  try {
    reply = { id, buffer, digest: await crypto.subtle.digest('SHA-256', new Uint8Array(buffer, 0, length)) };
  } catch (error) {
    reply = { id, buffer, error: String(error) };
  }
  scope.postMessage(reply, { transfer: [buffer] });
};
// Tells the page the script loaded and runs (a CSP or a missing file fails before this).
scope.postMessage({ id: -1 });
