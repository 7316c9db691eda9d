/**
 * Dedicated worker that hashes pooled buffers: Chromium's SubtleCrypto digest blocks the calling
 * thread (~100 ms per 8 MiB), and a CRC in JavaScript takes the thread it runs on, so the page stays
 * responsive only if both run here. (The file keeps its first name: the build ships it under it.)
 * The buffer arrives transferred and goes back transferred, so the pool keeps its memory.
 */
import { isCrc } from './checksums/checksum.js';
import { crcUpdate } from './checksums/crcUpdate.js';
import type { HashReply, HashRequest } from './LeaseHasher.js';

const scope = self;

scope.onmessage = async ({ data }: MessageEvent<HashRequest>) => {
  const { id, buffer, length, algorithm, state } = data;
  let reply: HashReply;
  try {
    const bytes = new Uint8Array(buffer, 0, length);
    reply = isCrc(algorithm)
      ? { id, buffer, state: crcUpdate(algorithm, state, bytes) }
      : { id, buffer, digest: await crypto.subtle.digest('SHA-256', bytes) };
  } catch (error) {
    reply = { id, buffer, error: String(error) };
  }
  scope.postMessage(reply, { transfer: [buffer] });
};
// Tells the page the script loaded and runs (a CSP or a missing file fails before this).
scope.postMessage({ id: -1 });
