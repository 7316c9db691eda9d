import type { Protocol } from './ports.js';
import type { ChecksumOption } from './types.js';
import { loadOnce } from './loadOnce.js';

/**
 * The part pipeline (Attempt.ts, with the planner, sizer and stall detector only it uses) is a chunk
 * of its own: a page's first paint does without it. Kept once loaded; a load that failed is forgotten
 * (loadOnce), so the attempt fails as a network error and the next one imports again.
 */
export const loadAttempt = loadOnce(() => import('./Attempt.js'));

/**
 * Start loading what an upload runs (the part pipeline, the protocol's sessions; the hashing when its
 * parts will certainly be hashed) without waiting for it. The uploader calls this when a file is
 * added, not when it is created nor at import: an uploader made during server rendering, or by a
 * page that never uploads, loads nothing; and the chunks download while the file takes its lock,
 * reads its resume record and opens (tus: the OPTIONS round trip, which asks for its session's chunk
 * beside it), so the first part rarely waits for them.
 */
export function preloadUpload(protocol: Protocol, checksum: ChecksumOption, loadHashing: () => Promise<unknown>): void {
  void loadAttempt();
  protocol.preload?.();
  // Parts that will be hashed whatever the server says (an algorithm named, or the protocol's own for
  // 'auto'): the hashing chunk and the worker's script load now, beside the rest, not after the open.
  // A failed load is forgotten (loadOnce, which also handles it), so the first hash asks again.
  if (checksum === 'auto' ? protocol.autoChecksum : checksum) void loadHashing();
}
