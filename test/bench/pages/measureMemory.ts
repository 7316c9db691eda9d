import type { PageMemory } from './pageProtocol.js';

interface MemoryBreakdown {
  bytes: number;
  attribution: { scope?: string }[];
}
interface MemoryMeasurement {
  bytes: number;
  breakdown: MemoryBreakdown[];
}
type Measure = () => Promise<MemoryMeasurement>;

/**
 * Measures the page's memory once (the baseline; resolve before the upload starts), then polls
 * performance.measureUserAgentSpecificMemory() and keeps the peak until stop() (the runner starts
 * Chromium with eager measurement, so each call answers within a GC instead of within 20 s). Only
 * available to cross-origin-isolated pages; undefined without it.
 */
export async function watchPageMemory(intervalMs = 1000): Promise<{ stop(): Promise<PageMemory | null> } | undefined> {
  const measure = (performance as Performance & { measureUserAgentSpecificMemory?: Measure }).measureUserAgentSpecificMemory;
  if (!measure || !crossOriginIsolated) return undefined;
  const figures: PageMemory = { baselineBytes: 0, peakBytes: 0, peakWindowBytes: 0, peakWorkerBytes: 0, samples: 0 };
  figures.baselineBytes = (await measure.call(performance)).bytes;
  let running = true;
  const take = async (): Promise<void> => {
    const sample = await measure.call(performance);
    figures.samples += 1;
    if (sample.bytes > figures.peakBytes) {
      figures.peakBytes = sample.bytes;
      figures.peakWindowBytes = bytesIn(sample, 'Window');
      figures.peakWorkerBytes = bytesIn(sample, 'DedicatedWorkerGlobalScope');
    }
  };
  const loop = (async () => {
    // The baseline was just taken: the first sample waits an interval, so no forced GC lands on the
    // upload's first requests (a main-thread pause that costs a client issuing each request from its
    // page, and not one whose requests wait queued in the browser).
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    while (running) {
      await take();
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop.catch(() => undefined);
      // An upload shorter than the interval: one sample at its end (after the page's timing).
      if (figures.samples === 0) await take().catch(() => undefined);
      return figures.samples > 0 ? figures : null;
    },
  };
}

function bytesIn(sample: MemoryMeasurement, scope: string): number {
  return sample.breakdown.filter((entry) => entry.attribution.some((owner) => owner.scope === scope)).reduce((sum, entry) => sum + entry.bytes, 0);
}
