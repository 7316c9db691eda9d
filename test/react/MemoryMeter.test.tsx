// @vitest-environment jsdom
import { act, render, screen, within } from '@testing-library/react';
import { MemoryMeter } from '../../src/react/MemoryMeter.js';
import type { ReactNode } from 'react';
import { ClockContext } from '../../src/react/clockContext.js';
import { createFakeClock } from '../support/fakeClock.js';
import { createFakeUploader, emptyMemory } from '../support/fakeUploader.js';

// Decimal, as the meter shows bytes (Intl's megabyte).
const MB = 1_000_000;
const memory = {
  ...emptyMemory,
  budgetBytes: 64 * MB,
  inFlightBytes: 16 * MB,
  peakInFlightBytes: 24 * MB,
  pooledBytes: 32 * MB,
  leasedBuffers: 2,
  idleBuffers: 2,
  buffersCreated: 4,
  buffersReused: 37,
  buffersReleased: 39,
  buffersFreed: 1,
  leaksDetected: 0,
};

/** The chart's time source is a test seam (an internal context), not a public prop. */
const withClock = (clock: ReturnType<typeof createFakeClock>) =>
  function ClockProvider({ children }: { children: ReactNode }) {
    return <ClockContext.Provider value={clock}>{children}</ClockContext.Provider>;
  };

const counter = (name: string) => screen.getByText(name, { selector: 'dt' }).nextElementSibling?.textContent;
const chart = () => screen.getByRole('img');

describe('<MemoryMeter>', () => {
  it('shows in-flight bytes against the budget as a meter with words', () => {
    render(<MemoryMeter memory={memory} chart={false} />);
    const meter = screen.getByRole('meter', { name: 'Memory in flight' });
    expect(meter.getAttribute('aria-valuenow')).toBe('25');
    expect(meter.getAttribute('aria-valuetext')).toBe('25% of the budget — 16 MB of 64 MB');
    expect(screen.getByText('16 MB of 64 MB').tagName).toBe('STRONG');
    expect(screen.getByRole('region', { name: 'Memory' }).textContent).toContain('peak 24 MB');
  });

  it('shows the last second’s peak in flight, so bytes that flicker to 0 between chunks stay readable', () => {
    const clock = createFakeClock();
    const summary = () => screen.getByRole('region', { name: 'Memory' }).querySelector('strong')?.textContent;
    const { rerender } = render(<MemoryMeter memory={{ ...memory, inFlightBytes: 16 * MB }} chart={false} />, { wrapper: withClock(clock) });
    act(() => clock.advance(100));
    rerender(<MemoryMeter memory={{ ...memory, inFlightBytes: 0 }} chart={false} />);
    expect(summary()).toBe('16 MB of 64 MB');
    expect(screen.getByRole('meter', { name: 'Memory in flight' }).getAttribute('aria-valuenow')).toBe('25');
    act(() => clock.advance(1250));
    expect(summary()).toBe('0 bytes of 64 MB');
  });

  it('shows the pool’s buffers and counters, and flags leaks', () => {
    const { rerender } = render(<MemoryMeter memory={memory} chart={false} />);
    expect([
      counter('Leased buffers'),
      counter('Idle buffers'),
      counter('Created'),
      counter('Reused'),
      counter('Released'),
      counter('Freed'),
      counter('Leaks'),
    ]).toEqual(['2', '2', '4', '37', '39', '1', '0']);
    const region = screen.getByRole('region', { name: 'Memory' });
    expect(region.hasAttribute('data-leaks')).toBe(false);

    rerender(<MemoryMeter memory={{ ...memory, leaksDetected: 1 }} chart={false} />);
    expect(counter('Leaks')).toBe('1');
    expect(region.hasAttribute('data-leaks')).toBe(true);
  });

  it('draws a chart whose text alternative names the peak and the present, sampling on change and every 250 ms', () => {
    const clock = createFakeClock();
    const { rerender } = render(<MemoryMeter memory={memory} />, { wrapper: withClock(clock) });
    act(() => clock.advance(1000));
    rerender(<MemoryMeter memory={{ ...memory, inFlightBytes: 40 * MB }} />);
    act(() => clock.advance(1000));
    rerender(<MemoryMeter memory={{ ...memory, inFlightBytes: 8 * MB }} />);

    expect(chart().getAttribute('aria-label')).toBe(
      'In-flight memory over the last 2 s: peak 40 MB, now 8 MB, budget 64 MB',
    );
    // 1 on mount + 4 ticks + 1 change + 4 ticks + 1 change.
    expect(chart().getAttribute('data-samples')).toBe('11');
    expect(chart().querySelector('polyline')?.getAttribute('points')?.split(' ')).toHaveLength(11);
  });

  it('keeps the last 120 samples and stops sampling when unmounted', () => {
    const clock = createFakeClock();
    const { unmount } = render(<MemoryMeter memory={memory} />, { wrapper: withClock(clock) });
    act(() => clock.advance(250 * 200));
    expect(chart().getAttribute('data-samples')).toBe('120');
    expect(clock.pending()).toBe(1);
    unmount();
    expect(clock.pending()).toBe(0);
  });

  it('follows an uploader when given one instead of a snapshot', () => {
    const uploader = createFakeUploader();
    render(<MemoryMeter uploader={uploader} chart={false} />);
    act(() => uploader.setMemory({ buffersReused: 5, leasedBuffers: 1 }));
    expect(counter('Reused')).toBe('5');
    expect(within(screen.getByRole('region')).getByRole('meter')).toBeTruthy();
  });
});
