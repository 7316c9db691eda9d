import { useContext } from 'react';
import type { MemorySnapshot, Uploader } from '../index.js';
import { ClockContext } from './clockContext.js';
import { formatBytes, toPercent } from './format.js';
import { MemoryChartView, recentPeak, useSamples } from './MemoryChart.js';
import { ProgressBar } from './ProgressBar.js';
import { useUploadSelector } from './useUploadSelector.js';

export type MemoryMeterProps = {
  /** Show the live chart. Default true. */
  chart?: boolean;
  /** Heading text. */
  label?: string;
} & ({ memory: MemorySnapshot; uploader?: never } | { uploader: Uploader; memory?: never });

const COUNTERS: readonly [keyof MemorySnapshot, string][] = [
  ['leasedBuffers', 'Leased buffers'],
  ['idleBuffers', 'Idle buffers'],
  ['buffersCreated', 'Created'],
  ['buffersReused', 'Reused'],
  ['buffersReleased', 'Released'],
  ['buffersFreed', 'Freed'],
  ['leaksDetected', 'Leaks'],
];

const selectMemory = (snapshot: { memory: MemorySnapshot }) => snapshot.memory;

/** Subscribes only when given an uploader; a memory prop is rendered as is. */
function MemoryFromUploader({ uploader, ...rest }: Omit<MemoryMeterProps, 'memory'> & { uploader: Uploader }) {
  // Only memory: the meter does not re-render for file progress.
  const memory = useUploadSelector(uploader, selectMemory);
  return <MemoryMeter {...rest} memory={memory} />;
}

/** Bytes in flight against the budget, the pool's buffers and counters, and a live chart. */
export function MemoryMeter(props: MemoryMeterProps) {
  if (props.uploader) return <MemoryFromUploader {...props} uploader={props.uploader} />;
  return <MemoryPanel memory={props.memory} chart={props.chart ?? true} label={props.label ?? 'Memory'} />;
}

function MemoryPanel({ memory, chart, label }: { memory: MemorySnapshot; chart: boolean; label: string }) {
  const clock = useContext(ClockContext);
  // One sampler feeds the chart and the summary. The summary shows the last second's peak: bytes in
  // flight rise and fall within a chunk's round trip, so the present value mostly reads 0 B.
  const samples = useSamples(memory.inFlightBytes, 120, 250, clock);
  const shown = recentPeak(samples, memory.inFlightBytes);
  const ratio = memory.budgetBytes > 0 ? shown / memory.budgetBytes : 0;
  const inFlight = `${formatBytes(shown)} of ${formatBytes(memory.budgetBytes)}`;
  return (
    <section className="lu-memory" aria-label={label} data-leaks={memory.leaksDetected > 0 || undefined}>
      <p className="lu-memory-summary">
        In flight <strong title="The most held at once in the last second">{inFlight}</strong> · peak {formatBytes(memory.peakInFlightBytes)} · pooled{' '}
        {formatBytes(memory.pooledBytes)}
      </p>
      <ProgressBar
        className="lu-memory-bar"
        value={ratio}
        role="meter"
        label="Memory in flight"
        valueText={`${toPercent(ratio)}% of the budget — ${inFlight}`}
      />
      <dl className="lu-memory-counters">
        {COUNTERS.map(([key, name]) => (
          <div key={key} data-counter={key}>
            <dt>{name}</dt>
            <dd>{memory[key]}</dd>
          </div>
        ))}
      </dl>
      {chart && <MemoryChartView samples={samples} value={memory.inFlightBytes} max={memory.budgetBytes} />}
    </section>
  );
}
