import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotFunction {
  name: string;
  selfMs: number;
}

/**
 * Records a V8 CPU profile of the page's main thread (BENCH_PROFILE=1) and names the functions
 * that took the most self time: where a contender's main-thread CPU goes.
 */
export async function pageProfiler(page: Page): Promise<{ stop(file: string): Promise<HotFunction[]> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
  return {
    async stop(file) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
      writeFileSync(file, JSON.stringify(profile));
      return hotFunctions(profile, 12);
    },
  };
}

export function hotFunctions(profile: Profile, count: number): HotFunction[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i] is the time before sample i; attribute it to the sample's function.
  samples.forEach((id, index) => {
    const frame = byNode.get(id)?.callFrame;
    if (!frame) return;
    const file = frame.url.split('/').pop() ?? '';
    const name = `${frame.functionName || '(anonymous)'} ${file}${file ? `:${frame.lineNumber + 1}` : ''}`;
    selfMs.set(name, (selfMs.get(name) ?? 0) + (deltas[index] ?? 0) / 1000);
  });
  return [...selfMs.entries()]
    .map(([name, ms]) => ({ name, selfMs: Math.round(ms) }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, count);
}
