import { useContext, useEffect, useRef, useState } from 'react';
import type { Clock } from '../index.js';
import { ClockContext } from './clockContext.js';
import { formatBytes } from './format.js';

export interface MemorySample {
  readonly time: number;
  readonly bytes: number;
}

export interface MemoryChartProps {
  /** Bytes now (in-flight bytes). */
  value: number;
  /** Top of the scale (the budget); the chart grows past it if a sample does. */
  max: number;
  /** Samples kept. Default 120. */
  capacity?: number;
  /** Also sample this often while mounted, so a flat line still moves, in ms. Default 250. */
  interval?: number;
  width?: number;
  height?: number;
}

function append(samples: readonly MemorySample[], sample: MemorySample, capacity: number): MemorySample[] {
  const next = samples.length >= capacity ? samples.slice(samples.length - capacity + 1) : samples.slice();
  next.push(sample);
  return next;
}

/** Samples `value` on every change and every `intervalMs`, keeping the last `capacity`. */
export function useSamples(value: number, capacity: number, intervalMs: number, clock: Clock): readonly MemorySample[] {
  const [samples, setSamples] = useState<readonly MemorySample[]>([]);
  const latest = useRef(value);

  useEffect(() => {
    latest.current = value;
    setSamples((current) => append(current, { time: clock.now(), bytes: value }, capacity));
  }, [value, capacity, clock]);

  useEffect(() => {
    let handle: unknown = null;
    const tick = () => {
      setSamples((current) => append(current, { time: clock.now(), bytes: latest.current }, capacity));
      handle = clock.setTimeout(tick, intervalMs);
    };
    handle = clock.setTimeout(tick, intervalMs);
    return () => clock.clearTimeout(handle);
  }, [capacity, intervalMs, clock]);

  return samples;
}

/**
 * The highest of the samples taken in the last `windowMs`, and `value`: a figure a person can read
 * while in-flight bytes flicker between 0 and a chunk's size several times a second.
 */
export function recentPeak(samples: readonly MemorySample[], value: number, windowMs = 1000): number {
  const now = samples[samples.length - 1]?.time ?? 0;
  return samples.reduce((top, s) => (s.time >= now - windowMs ? Math.max(top, s.bytes) : top), value);
}

/** A small live SVG line of bytes over time, with a text alternative naming the peak and the present. */
export function MemoryChart({ value, max, capacity = 120, interval = 250, width = 240, height = 60 }: MemoryChartProps) {
  const samples = useSamples(value, capacity, interval, useContext(ClockContext));
  return <MemoryChartView samples={samples} value={value} max={max} width={width} height={height} />;
}

/** The chart for samples its owner takes (MemoryMeter shares one sampler between chart and summary). */
export function MemoryChartView({
  samples,
  value,
  max,
  width = 240,
  height = 60,
}: {
  samples: readonly MemorySample[];
  value: number;
  max: number;
  width?: number;
  height?: number;
}) {
  const peak = samples.reduce((top, s) => Math.max(top, s.bytes), value);
  const top = Math.max(max, peak, 1);
  const start = samples[0]?.time ?? 0;
  const span = Math.max(1, (samples[samples.length - 1]?.time ?? 0) - start);
  const points = samples
    .map((s) => `${((s.time - start) / span) * width},${height - (s.bytes / top) * height}`)
    .join(' ');
  const budgetY = height - (max / top) * height;
  const seconds = Math.round(span / 1000);
  const summary = `In-flight memory over the last ${seconds} s: peak ${formatBytes(peak)}, now ${formatBytes(value)}, budget ${formatBytes(max)}`;
  return (
    <svg
      className="lu-memory-chart"
      role="img"
      aria-label={summary}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      data-samples={samples.length}
    >
      <line className="lu-memory-chart-budget" x1={0} x2={width} y1={budgetY} y2={budgetY} />
      {samples.length > 1 && <polyline className="lu-memory-chart-line" points={points} fill="none" />}
    </svg>
  );
}
