import { commands } from 'vitest/browser';
import { createUploader, memoryUrlStorage, tus } from '../../src/index.js';
import type { FileSnapshot, Uploader } from '../../src/index.js';
import type { TusFault } from '../../demo/server/TusFaults.js';
import { fileOf, sha256Hex, uploadId, waitForSnapshot } from './tusHarness.js';

const KiB = 1024;
const MiB = 1024 * KiB;
export const SOAK_ROUTE = '/files-checksum';
const WAVE = 20;

/** mulberry32: a small seeded generator, so a failing soak runs again the same way with its seed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixed sizes: empty, tiny, small, a few parts, and now and then a larger file. */
function pickSize(random: () => number): number {
  const roll = random();
  if (roll < 0.03) return 0;
  if (roll < 0.5) return 1 + Math.floor(random() * 64 * KiB);
  if (roll < 0.8) return 64 * KiB + Math.floor(random() * MiB);
  if (roll < 0.96) return MiB + Math.floor(random() * 3 * MiB);
  return 4 * MiB + Math.floor(random() * 8 * MiB);
}

/** Seeded bytes (xorshift32), so a reproduced run uploads the same content. */
function contentOf(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer, 0, size);
}

/** One fault of the seeded fault layer (demo/server/TusFaults.ts), for this soak's requests only. */
function pickFault(random: () => number, scope: string): TusFault {
  const roll = random();
  // Small files go whole in their creating POST (creation-with-upload), larger ones in PATCHes.
  const method = random() < 0.6 ? 'POST' : 'PATCH';
  // Now and then a fault that outlasts the retry schedule, so files fail and are retried by hand.
  const times = random() < 0.25 ? 8 : 1;
  if (roll < 0.35) return { type: 'fail', method, status: [500, 503, 429][Math.floor(random() * 3)] ?? 503, retryAfter: 0, times, scope };
  if (roll < 0.45) return { type: 'fail', method: 'HEAD', status: 502, scope };
  if (roll < 0.7) return { type: 'corrupt', method, times, scope };
  if (roll < 0.85) return { type: 'stall', method, afterBytes: Math.floor(random() * 64 * KiB), ms: 50 + Math.floor(random() * 250), scope };
  return { type: 'hang', method, ms: 50 + Math.floor(random() * 200), scope };
}

interface Planned {
  name: string;
  size: number;
  sha256: string;
  action: 'plain' | 'pause' | 'cancel';
  delay: number;
  pauseFor: number;
}

export interface SoakOutcome {
  completed: number;
  canceled: number;
  paused: number;
  retried: number;
  faults: number;
  /** Each problem found, with the file it concerns; empty when the soak passed. */
  problems: string[];
  /** Names of canceled and of completed files, for the server-side checks at the end. */
  canceledNames: string[];
  completedNames: string[];
  /** Files paused or canceled while uploading with no upload URL yet (their creating POST under way). */
  interruptedCreations: Set<string>;
  uploader: Uploader;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const SETTLED = new Set(['completed', 'failed', 'canceled']);

/**
 * `uploads` files through one uploader on one page, in waves of 20: seeded sizes, seeded faults, and
 * random pauses and cancels while they run; failed files are retried. Completed files are checked byte
 * for byte on the server as each wave ends, then removed from the list, so the page holds only a wave.
 */
export async function runSoak(uploads: number, seed: number, prefix: string, scope: string): Promise<SoakOutcome> {
  const random = seeded(seed);
  const uploader = createUploader({
    protocol: tus({ endpoint: SOAK_ROUTE }),
    resume: memoryUrlStorage(),
    partSize: MiB,
    memoryBudget: 4 * MiB,
    concurrency: 4,
    poolIdleTimeout: 200,
    retry: { delays: [0, 20] },
    headers: { 'X-Test-Scope': scope },
  });
  const outcome: SoakOutcome = { completed: 0, canceled: 0, paused: 0, retried: 0, faults: 0, problems: [], canceledNames: [], completedNames: [], interruptedCreations: new Set(), uploader };
  for (let first = 0; first < uploads; first += WAVE) {
    const faults = Math.floor(random() * 3);
    for (let i = 0; i < faults; i++) await commands.injectFault(SOAK_ROUTE, pickFault(random, scope));
    outcome.faults += faults;
    const planned: Planned[] = [];
    const files: File[] = [];
    for (let n = first; n < Math.min(uploads, first + WAVE); n++) {
      const size = pickSize(random);
      const bytes = contentOf(size, seed + n);
      const roll = random();
      const name = `${prefix}${n}.bin`;
      planned.push({
        name,
        size,
        sha256: await sha256Hex(new Blob([bytes])),
        action: roll < 0.08 ? 'cancel' : roll < 0.2 ? 'pause' : 'plain',
        delay: Math.floor(random() * 60),
        pauseFor: Math.floor(random() * 40),
      });
      files.push(new File([bytes], name, { lastModified: 1_700_000_000_000 + n }));
    }
    const ids = uploader.add(files).accepted;
    await Promise.all(ids.map((id, i) => act(uploader, id, planned[i]!, outcome)));
    await settleWave(uploader, ids, outcome);
    await checkWave(uploader, ids, planned, outcome);
    for (const id of ids) uploader.remove(id);
  }
  await commands.clearFaults(SOAK_ROUTE);
  return outcome;
}

/** The file's random action, at a random moment while it runs. */
async function act(uploader: Uploader, id: string, plan: Planned, outcome: SoakOutcome): Promise<void> {
  if (plan.action === 'plain') return;
  await sleep(plan.delay);
  // A pause or cancel while the creating POST is under way (no URL yet): counted, to show the soak
  // covers the case; the POST is let finish, so nothing of such a file may be left behind.
  const file = fileOf(uploader.getSnapshot(), id);
  if (file.status === 'uploading' && file.url === null) outcome.interruptedCreations.add(plan.name);
  if (plan.action === 'cancel') {
    await uploader.cancel(id);
    return;
  }
  if (status(uploader, id) !== 'uploading' && status(uploader, id) !== 'queued') return;
  uploader.pause(id);
  outcome.paused++;
  await sleep(plan.pauseFor);
  uploader.resume(id);
}

/** Wait for every file of the wave to settle, retrying failed ones (at most three times each). */
async function settleWave(uploader: Uploader, ids: readonly string[], outcome: SoakOutcome): Promise<void> {
  const retries = new Map<string, number>();
  for (;;) {
    const snapshot = await waitForSnapshot(uploader, (s) => ids.every((id) => SETTLED.has(fileOf(s, id).status)));
    const failed = ids.map((id) => fileOf(snapshot, id)).filter((file) => file.status === 'failed');
    const again = failed.filter((file) => (retries.get(file.id) ?? 0) < 3);
    if (again.length === 0) return;
    for (const file of again) {
      retries.set(file.id, (retries.get(file.id) ?? 0) + 1);
      outcome.retried++;
      uploader.retry(file.id);
    }
  }
}

async function checkWave(uploader: Uploader, ids: readonly string[], planned: readonly Planned[], outcome: SoakOutcome): Promise<void> {
  const snapshot = uploader.getSnapshot();
  for (const [i, id] of ids.entries()) {
    const file: FileSnapshot = fileOf(snapshot, id);
    const plan = planned[i]!;
    if (file.status === 'canceled') {
      outcome.canceled++;
      outcome.canceledNames.push(plan.name);
    } else if (file.status !== 'completed') {
      outcome.problems.push(`${plan.name} (${plan.size} B): ${file.status} ${file.error?.code ?? ''} ${file.error?.message ?? ''}`);
    } else {
      outcome.completed++;
      outcome.completedNames.push(plan.name);
      const serverId = uploadId(file.url);
      const [size, sha] = await Promise.all([commands.storedSize(SOAK_ROUTE, serverId), commands.storedSha256(SOAK_ROUTE, serverId)]);
      if (size !== plan.size || sha !== plan.sha256) outcome.problems.push(`${plan.name}: stored ${size} B ${sha}, sent ${plan.size} B ${plan.sha256}`);
    }
  }
}

function status(uploader: Uploader, id: string): string {
  return fileOf(uploader.getSnapshot(), id).status;
}
