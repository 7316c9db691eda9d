import { commands } from 'vitest/browser';
import { SOAK_ROUTE, runSoak } from './soakDriver.js';
import { testScope, waitForSnapshot } from './tusHarness.js';

const MiB = 1024 * 1024;

/**
 * The soak (issue 9, item 6): one page, one uploader, SOAK_UPLOADS uploads (60 here in `npm test`;
 * `npm run soak` runs 1,000) against the real @tus/server, with seeded sizes, faults, pauses, cancels
 * and retries. It must end with every completed file stored byte for byte and once, nothing on the
 * server for canceled files, no buffer leased or leaked, and the page's memory back near its start.
 * The seed is printed; SOAK_SEED=<seed> runs the same soak again.
 */
test('a soak of seeded uploads ends clean: byte for byte, nothing left of cancels, no buffer leased or leaked, memory back', async () => {
  const { uploads, seed } = await commands.soakConfig();
  console.log(`soak: ${uploads} uploads, seed ${seed} (SOAK_SEED=${seed} SOAK_UPLOADS=${uploads} reproduces it)`);
  const scope = testScope();
  const prefix = `soak-${seed}-${scope}-`;
  const before = await commands.pageMemory();

  const outcome = await runSoak(uploads, seed, prefix, scope);
  const { uploader } = outcome;
  console.log(
    `soak seed ${seed}: ${outcome.completed} completed, ${outcome.canceled} canceled, ${outcome.paused} pauses, ${outcome.retried} manual retries, ${outcome.faults} faults`,
  );
  expect(outcome.problems, `seed ${seed}`).toEqual([]);
  expect(outcome.completed + outcome.canceled, `seed ${seed}`).toBe(uploads);

  // On the server: each completed file once, nothing of a canceled one, also for files paused or
  // canceled while their creating POST was under way (the POST is let finish, so the page learns the
  // upload's URL: a cancel deletes it, a resume continues it).
  const stored = await commands.storedUploadsByName(SOAK_ROUTE, prefix);
  const duplicates = outcome.completedNames.filter((name) => stored[name]?.length !== 1);
  const leftovers = outcome.canceledNames.filter((name) => (stored[name]?.length ?? 0) > 0);
  console.log(`soak seed ${seed}: ${outcome.interruptedCreations.size} files paused or canceled during their creating POST`);
  expect(duplicates, `seed ${seed}: completed files not stored exactly once (orphan or duplicate uploads)`).toEqual([]);
  expect(leftovers, `seed ${seed}: canceled files left on the server`).toEqual([]);
  expect(outcome.completedNames.every((name) => (stored[name]?.length ?? 0) >= 1)).toBe(true);
  await commands.removeUploadsByName(SOAK_ROUTE, prefix);

  // The pool: nothing leased, idle buffers freed, no lease garbage-collected without release.
  const { memory } = await waitForSnapshot(uploader, (s) => s.memory.leasedBuffers === 0 && s.memory.pooledBytes === 0);
  await commands.pageMemory();
  await new Promise((resolve) => setTimeout(resolve, 50)); // finalizers run after the collection
  expect(uploader.getSnapshot().memory.leaksDetected, `seed ${seed}`).toBe(0);
  expect(memory.inFlightBytes).toBe(0);
  expect(memory.peakInFlightBytes).toBeLessThanOrEqual(memory.budgetBytes);
  uploader.destroy();

  const after = await commands.pageMemory();
  console.log(
    `soak seed ${seed}: JS heap ${(before.heapUsed / MiB).toFixed(1)} → ${(after.heapUsed / MiB).toFixed(1)} MiB, array buffers ${(before.backingStorage / MiB).toFixed(1)} → ${(after.backingStorage / MiB).toFixed(1)} MiB`,
  );
  expect(after.heapUsed - before.heapUsed, `seed ${seed}: JS heap growth`).toBeLessThan(8 * MiB);
  expect(after.backingStorage - before.backingStorage, `seed ${seed}: array buffer growth`).toBeLessThan(4 * MiB);
}, 60 * 60_000);
