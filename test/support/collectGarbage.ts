import type { BrowserCommand } from 'vitest/node';

/**
 * Run V8's full garbage collection in the page's renderer (the test iframes share its heap).
 * Chromium frees a Blob's bytes only when V8 collects the Blob, and V8 does not count those bytes
 * (they live in the browser process), so without this a test's in-memory Blobs, and the copy Chromium
 * makes of every slice of one, outlive it. The files share one Chromium, whose blob storage (a private
 * context: nothing paged to disk) holds 500 MiB in its first seconds and 2 GiB after (measured;
 * Playwright's DevTools Network domain also keeps up to ~191 MiB of request bodies sent); once that
 * is spent, new Blobs are born broken and reading them fails (NotReadableError).
 */
export const collectGarbage: BrowserCommand<[]> = async (ctx) => {
  const session = await ctx.page.context().newCDPSession(ctx.page);
  try {
    // Twice: the first run's finalizers (blob handles among them) free more for the second.
    await session.send('HeapProfiler.collectGarbage');
    await session.send('HeapProfiler.collectGarbage');
  } finally {
    await session.detach();
  }
};
