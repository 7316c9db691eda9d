import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BufferPool, type BufferLease, type BufferPoolOptions } from '../../src/core/BufferPool.js';
import { isUploadError } from '../../src/core/UploadError.js';
import type { MemorySnapshot } from '../../src/core/types.js';
import { createFakeClock, type FakeClock } from '../support/fakeClock.js';

const KiB = 1024;

let pools: BufferPool[] = [];
let clock: FakeClock;

beforeEach(() => {
  pools = [];
  clock = createFakeClock();
});

afterEach(() => {
  for (const pool of pools) {
    expect(pool.stats().leasedBuffers).toBe(0);
    pool.destroy();
  }
});

function makePool(options: Partial<BufferPoolOptions> = {}): BufferPool {
  const pool = new BufferPool({ bufferSize: 64 * KiB, budget: 128 * KiB, clock, ...options });
  pools.push(pool);
  return pool;
}

/** Lets promise reactions run, so a lease that could resolve has resolved. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

function track<T>(promise: Promise<T>): { readonly value: T | undefined; readonly error: unknown } {
  const state: { value: T | undefined; error: unknown } = { value: undefined, error: undefined };
  promise.then(
    (value) => (state.value = value),
    (error: unknown) => (state.error = error),
  );
  return state;
}

function detach(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

test('a third lease waits while the budget fits two, and waiters are served first in, first out', async () => {
  const pool = makePool();
  const a = await pool.lease();
  const b = await pool.lease();
  const third = track(pool.lease());
  const fourth = track(pool.lease());
  await settle();
  expect(third.value).toBeUndefined();
  expect(fourth.value).toBeUndefined();
  expect(pool.stats()).toMatchObject({ leasedBuffers: 2, buffersCreated: 2, inFlightBytes: 128 * KiB });

  const bufferOfA = a.buffer;
  a.release();
  await settle();
  expect(third.value?.buffer).toBe(bufferOfA);
  expect(fourth.value).toBeUndefined();

  b.release();
  await settle();
  expect(fourth.value).toBeDefined();
  expect(pool.stats()).toMatchObject({ buffersCreated: 2, buffersReused: 2, buffersReleased: 2, leasedBuffers: 2 });
  third.value?.release();
  fourth.value?.release();
  expect(pool.stats()).toMatchObject({ leasedBuffers: 0, idleBuffers: 2, pooledBytes: 128 * KiB, inFlightBytes: 0 });
});

test('an idle buffer is reused before a new one is created, and released leases cannot be used', async () => {
  const pool = makePool({ budget: 10 * 64 * KiB });
  const first = await pool.lease();
  const buffer = first.buffer;
  expect(buffer.byteLength).toBe(64 * KiB);
  first.release();
  first.release();
  expect(first.released).toBe(true);
  expect(() => first.adopt(new ArrayBuffer(64 * KiB))).toThrow(/after release/);
  expect(() => first.buffer).toThrow(/after release/);

  const second = await pool.lease();
  expect(second.buffer).toBe(buffer);
  expect(() => second.adopt(new ArrayBuffer(KiB))).toThrow(RangeError);
  second.release();
  expect(pool.stats()).toMatchObject({ buffersCreated: 1, buffersReused: 1, buffersReleased: 2, idleBuffers: 1 });
});

test('a buffer released while detached is freed, never handed out again', async () => {
  const pool = makePool();
  const lease = await pool.lease();
  detach(lease.buffer);
  lease.release();
  expect(pool.stats()).toMatchObject({ idleBuffers: 0, buffersFreed: 1, buffersReleased: 0, pooledBytes: 0 });

  const next = await pool.lease();
  expect(next.buffer.byteLength).toBe(64 * KiB);
  expect(pool.stats().buffersCreated).toBe(2);
  const adopted = new ArrayBuffer(64 * KiB);
  next.adopt(adopted);
  next.release();
  const again = await pool.lease();
  expect(again.buffer).toBe(adopted);
  again.release();
});

test('in-flight and pooled bytes never exceed the budget under a mixed load, and the peak is the highest seen', async () => {
  const seen: MemorySnapshot[] = [];
  const pool = makePool({ budget: 3 * 64 * KiB + 1000, onChange: () => seen.push(pool.stats()) });
  let seed = 7;
  const random = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  const held: BufferLease[] = [];
  const pending: Promise<void>[] = [];
  for (let step = 0; step < 300; step++) {
    const roll = random();
    const lease = roll >= 0.4 && roll < 0.8 ? held.shift() : undefined;
    if (roll < 0.4) pending.push(pool.lease().then((leased) => void held.push(leased)));
    else lease?.release();
    await settle();
  }
  // Wind down: leases are released, and each served waiter releases in turn.
  while (held.length > 0) {
    held.shift()?.release();
    await settle();
  }
  await Promise.all(pending);

  expect(seen.length).toBeGreaterThan(100);
  const capacity = 3 * 64 * KiB;
  for (const snapshot of seen) {
    expect(snapshot.inFlightBytes).toBeLessThanOrEqual(capacity);
    expect(snapshot.pooledBytes).toBeLessThanOrEqual(capacity);
  }
  const highest = Math.max(...seen.map((snapshot) => snapshot.inFlightBytes));
  expect(highest).toBe(capacity);
  expect(pool.stats().peakInFlightBytes).toBe(highest);
  expect(pool.stats().buffersCreated).toBe(3);
});

test('idle buffers are freed idleTimeout after the last lease or release, and not before', async () => {
  const pool = makePool({ idleTimeout: 5000 });
  const a = await pool.lease();
  const b = await pool.lease();
  a.release();
  clock.advance(3000);
  b.release();
  clock.advance(4999);
  expect(pool.stats()).toMatchObject({ idleBuffers: 2, buffersFreed: 0 });

  const c = await pool.lease();
  c.release();
  clock.advance(4999);
  expect(pool.stats().idleBuffers).toBe(2);
  clock.advance(1);
  expect(pool.stats()).toMatchObject({ idleBuffers: 0, buffersFreed: 2, pooledBytes: 0 });
  expect(clock.pending()).toBe(0);

  const d = await pool.lease();
  expect(pool.stats()).toMatchObject({ buffersCreated: 3 });
  d.release();
});

test('a waiter whose signal aborts is rejected with aborted and skipped', async () => {
  const pool = makePool({ budget: 64 * KiB });
  const held = await pool.lease();
  const controller = new AbortController();
  const waiting = track(pool.lease(controller.signal));
  const next = track(pool.lease());
  controller.abort();
  await settle();
  expect(isUploadError(waiting.error) && waiting.error.code).toBe('aborted');

  held.release();
  await settle();
  expect(next.value).toBeDefined();
  next.value?.release();

  const already = track(pool.lease(AbortSignal.abort()));
  await settle();
  expect(isUploadError(already.error) && already.error.code).toBe('aborted');
  expect(pool.stats().leasedBuffers).toBe(0);
});

test('destroy frees idle buffers, rejects waiters, stops timers, and frees buffers released later', async () => {
  // Waiters are served before a buffer idles, so one pool shows the waiters and another the idle buffer.
  const full = makePool({ budget: 2 * 64 * KiB });
  const held = [await full.lease(), await full.lease()];
  const blocked = [track(full.lease()), track(full.lease())];
  await settle();
  full.destroy();
  await settle();
  for (const waiter of blocked) expect(isUploadError(waiter.error) && waiter.error.code).toBe('aborted');
  for (const lease of held) lease.release();
  expect(full.stats()).toMatchObject({ leasedBuffers: 0, idleBuffers: 0, buffersFreed: 2, pooledBytes: 0, inFlightBytes: 0 });

  const pool = makePool({ budget: 2 * 64 * KiB });
  const a = await pool.lease();
  const b = await pool.lease();
  a.release();
  expect(pool.stats()).toMatchObject({ idleBuffers: 1, leasedBuffers: 1 });
  expect(clock.pending()).toBe(1);

  pool.destroy();
  await settle();
  expect(pool.stats()).toMatchObject({ idleBuffers: 0, leasedBuffers: 1, buffersFreed: 1 });
  expect(clock.pending()).toBe(0);

  b.release();
  expect(pool.stats()).toMatchObject({ leasedBuffers: 0, idleBuffers: 0, buffersFreed: 2, pooledBytes: 0, inFlightBytes: 0 });
  const late = track(pool.lease());
  await settle();
  expect(isUploadError(late.error) && late.error.code).toBe('aborted');
});

test('onChange runs once per operation and stats() is stable between changes', async () => {
  let calls = 0;
  const pool = makePool({ onChange: () => calls++ });
  const first = pool.stats();
  expect(pool.stats()).toBe(first);
  const lease = await pool.lease();
  expect(calls).toBe(1);
  expect(pool.stats()).not.toBe(first);
  lease.release();
  expect(calls).toBe(2);
});

test('a lease garbage-collected without release is counted as a leak, frees its slot and wakes a waiter', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const pool = makePool({ budget: 64 * KiB });
  // Lease in a separate function so no local variable keeps the lease reachable.
  await (async () => void (await pool.lease()))();
  const waiting = track(pool.lease());
  for (let i = 0; i < 50 && pool.stats().leaksDetected === 0; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(pool.stats()).toMatchObject({ leaksDetected: 1, buffersFreed: 1 });
  await settle();
  expect(waiting.value).toBeDefined();
  expect(pool.stats()).toMatchObject({ leasedBuffers: 1, buffersCreated: 2 });
  waiting.value?.release();
});

describe('leases sized to what they hold (a small part, a read window)', () => {
  const MiB = 1024 * KiB;

  test('a lease gets the next power of two of its size (at least 64 KiB, at most bufferSize), and in flight counts those bytes', async () => {
    const pool = makePool({ bufferSize: 8 * MiB, budget: 64 * MiB });
    const small = await pool.lease(undefined, 16 * KiB);
    const odd = await pool.lease(undefined, MiB + 1);
    const large = await pool.lease(undefined, 20 * MiB);
    expect([small.buffer.byteLength, odd.buffer.byteLength, large.buffer.byteLength]).toEqual([64 * KiB, 2 * MiB, 8 * MiB]);
    expect(pool.stats()).toMatchObject({ inFlightBytes: 64 * KiB + 10 * MiB, peakInFlightBytes: 64 * KiB + 10 * MiB, pooledBytes: 64 * KiB + 10 * MiB, leasedBuffers: 3 });
    small.release();
    odd.release();
    large.release();
    expect(pool.stats()).toMatchObject({ inFlightBytes: 0, pooledBytes: 64 * KiB + 10 * MiB, idleBuffers: 3 });
  });

  test('six small leases hold six small buffers, not six whole ones; reused after warm-up', async () => {
    const pool = makePool({ bufferSize: 8 * MiB, budget: 64 * MiB });
    for (let round = 0; round < 3; round++) {
      const leases = await Promise.all(Array.from({ length: 6 }, () => pool.lease(undefined, MiB)));
      expect(pool.stats().inFlightBytes).toBe(6 * MiB);
      for (const lease of leases) lease.release();
    }
    expect(pool.stats()).toMatchObject({ buffersCreated: 6, buffersReused: 12, peakInFlightBytes: 6 * MiB });
  });

  test('an idle larger buffer serves a smaller lease rather than a new one (the last part of a file), and counts whole', async () => {
    const pool = makePool({ bufferSize: 8 * MiB, budget: 64 * MiB });
    (await pool.lease()).release();
    const tail = await pool.lease(undefined, 3 * MiB);
    expect(tail.buffer.byteLength).toBe(8 * MiB);
    expect(pool.stats()).toMatchObject({ buffersCreated: 1, buffersReused: 1, inFlightBytes: 8 * MiB });
    tail.release();
  });

  test('the budget counts bytes: a large lease waits for small ones, idle buffers of other sizes are freed for room, and it is never exceeded', async () => {
    const pool = makePool({ bufferSize: 4 * MiB, budget: 8 * MiB });
    let worst = 0;
    const watch = (): void => void (worst = Math.max(worst, pool.stats().pooledBytes));
    const smalls = await Promise.all(Array.from({ length: 7 }, () => pool.lease(undefined, MiB)));
    watch();
    const large = track(pool.lease(undefined, 4 * MiB));
    await settle();
    expect(large.value).toBeUndefined();
    // Releasing one small buffer leaves 6 MiB leased + 1 idle: the idle one is freed to make room.
    smalls.pop()?.release();
    smalls.pop()?.release();
    smalls.pop()?.release();
    await settle();
    watch();
    expect(large.value?.buffer.byteLength).toBe(4 * MiB);
    expect(pool.stats()).toMatchObject({ inFlightBytes: 8 * MiB, pooledBytes: 8 * MiB });
    expect(pool.stats().buffersFreed).toBeGreaterThanOrEqual(3);
    for (const lease of smalls) lease.release();
    large.value?.release();
    watch();
    expect(worst).toBeLessThanOrEqual(8 * MiB);
  });

  test('a small lease garbage-collected without release gives back its own bytes, not a whole buffer', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const pool = makePool({ bufferSize: 8 * MiB, budget: 16 * MiB });
    const kept = await pool.lease(undefined, 2 * MiB);
    await (async () => void (await pool.lease(undefined, MiB)))();
    expect(pool.stats().inFlightBytes).toBe(3 * MiB);
    for (let i = 0; i < 50 && pool.stats().leaksDetected === 0; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(pool.stats()).toMatchObject({ leaksDetected: 1, inFlightBytes: 2 * MiB, leasedBuffers: 1 });
    kept.release();
    expect(pool.stats().inFlightBytes).toBe(0);
  });
});
