import { systemClock } from '../index.js';
import type { Clock, MemorySnapshot, Uploader } from '../index.js';
import { formatBytes, toPercent } from './format.js';
import { MemoryChartView, recentPeak, useSamples } from './MemoryChart.js';
import { ProgressBar } from './ProgressBar.js';
import { useUploadSnapshot } from './useUploadSnapshot.js';

export type MemoryMeterProps = {
  /** Time source of the chart's sampling and of the subscription throttle. */
  clock?: Clock;
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

/** Subscribes only when given an uploader; a memory prop is rendered as is. */
function MemoryFromUploader({ uploader, ...rest }: Omit<MemoryMeterProps, 'memory'> & { uploader: Uploader }) {
  const snapshot = useUploadSnapshot(uploader, { clock: rest.clock });
  return <MemoryMeter {...rest} memory={snapshot.memory} />;
}

/** Bytes in flight against the budget, the pool's buffers and counters, and a live chart. */
export function MemoryMeter(props: MemoryMeterProps) {
  if (props.uploader) return <MemoryFromUploader {...props} uploader={props.uploader} />;
  return <MemoryPanel memory={props.memory} clock={props.clock ?? systemClock} chart={props.chart ?? true} label={props.label ?? 'Memory'} />;
}

function MemoryPanel({ memory, clock, chart, label }: { memory: MemorySnapshot; clock: Clock; chart: boolean; label: string }) {
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
