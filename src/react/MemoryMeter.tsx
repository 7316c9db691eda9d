import type { Clock, MemorySnapshot, Uploader } from '../index.js';
import { formatBytes, toPercent } from './format.js';
import { MemoryChart } from './MemoryChart.js';
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
  const { memory, clock, chart = true, label = 'Memory' } = props;
  const ratio = memory.budgetBytes > 0 ? memory.inFlightBytes / memory.budgetBytes : 0;
  const inFlight = `${formatBytes(memory.inFlightBytes)} of ${formatBytes(memory.budgetBytes)}`;
  return (
    <section className="lu-memory" aria-label={label} data-leaks={memory.leaksDetected > 0 || undefined}>
      <p className="lu-memory-summary">
        In flight <strong>{inFlight}</strong> · peak {formatBytes(memory.peakInFlightBytes)} · pooled{' '}
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
      {chart && <MemoryChart value={memory.inFlightBytes} max={memory.budgetBytes} clock={clock} />}
    </section>
  );
}
