import { useEffect, useState } from 'react';
import { formatBytes } from '../../src/index.js';

type Measure = () => Promise<{ bytes: number }>;

const POLL_MS = 3000;

/**
 * The page's memory as the browser measures it (performance.measureUserAgentSpecificMemory: JS heaps
 * of the page and its workers), polled every few seconds, beside the library's own figure. The API
 * exists only in cross-origin-isolated Chromium pages; the demo is served with COOP and COEP for it.
 * Each answer waits for a garbage collection, so a figure may be some seconds old.
 */
export function PageMemory() {
  const [bytes, setBytes] = useState<number | null>(null);
  const [available] = useState(() => typeof crossOriginIsolated === 'boolean' && crossOriginIsolated && measureOf() !== undefined);

  useEffect(() => {
    const measure = measureOf();
    if (!available || !measure) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      try {
        const result = await measure.call(performance);
        if (!stopped) setBytes(result.bytes);
      } catch {
        // A measurement refused (e.g. the page is being hidden) is skipped; the next poll tries again.
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [available]);

  if (!available) {
    return <p className="page-memory">Page memory: not measurable here (needs a cross-origin-isolated Chromium).</p>;
  }
  return (
    <p className="page-memory" aria-live="off">
      Page memory, measured by the browser: <strong>{bytes === null ? 'measuring…' : formatBytes(bytes)}</strong>
      <span className="page-memory-note"> (JS heaps of the page and its workers, every few seconds)</span>
    </p>
  );
}

function measureOf(): Measure | undefined {
  if (typeof performance === 'undefined') return undefined;
  const measure = (performance as Performance & { measureUserAgentSpecificMemory?: Measure }).measureUserAgentSpecificMemory;
  return typeof measure === 'function' ? measure : undefined;
}
