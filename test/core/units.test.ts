import { PartPlanner, complement, mergeRanges as merge } from '../../src/core/PartPlanner.js';
import { PartSizer } from '../../src/core/PartSizer.js';
import { createSpeedMeter } from '../../src/core/SpeedMeter.js';
import { StallDetector } from '../../src/core/StallDetector.js';
import { createFakeClock } from '../support/fakeClock.js';

describe('PartPlanner', () => {
  test('the missing ranges are the complement of what the server holds', () => {
    expect(complement([{ start: 10, end: 20 }, { start: 30, end: 40 }], 50)).toEqual([
      { start: 0, end: 10 },
      { start: 20, end: 30 },
      { start: 40, end: 50 },
    ]);
    expect(complement([{ start: 0, end: 50 }], 50)).toEqual([]);
    expect(merge([{ start: 5, end: 9 }, { start: 0, end: 5 }, { start: 20, end: 20 }])).toEqual([{ start: 0, end: 9 }]);
  });

  test('parts are cut at the size asked for when taken, and the last one says so', () => {
    const planner = new PartPlanner([{ start: 0, end: 10 }], 35);
    expect(planner.take(10)).toEqual({ start: 10, end: 20, last: false });
    expect(planner.take(100)).toEqual({ start: 20, end: 35, last: true });
    expect(planner.take(10)).toBeNull();
  });

  test('an empty file yields one empty last part', () => {
    const planner = new PartPlanner([], 0);
    expect(planner.take(10)).toEqual({ start: 0, end: 0, last: true });
    expect(planner.take(10)).toBeNull();
  });

  test('requeued bytes come before later ranges', () => {
    const planner = new PartPlanner([], 30);
    planner.take(10);
    planner.take(10);
    planner.requeue({ start: 4, end: 10 });
    expect(planner.hasBefore(20)).toBe(true);
    expect(planner.take(100)).toEqual({ start: 4, end: 10, last: false });
  });
});

describe('PartSizer', () => {
  test('grows four-fold after fast full parts, two-fold after slower ones, up to max; shrinks after slow ones; ignores short parts', () => {
    const sizer = new PartSizer({ initial: 8, max: 80, min: 0, adaptive: true });
    sizer.observe(8, 100);
    expect(sizer.size).toBe(32);
    sizer.observe(5, 100);
    expect(sizer.size).toBe(32);
    sizer.observe(32, 5000);
    expect(sizer.size).toBe(64);
    sizer.observe(64, 100);
    expect(sizer.size).toBe(80);
    sizer.observe(80, 10_000);
    expect(sizer.size).toBe(80);
    sizer.observe(80, 40_000);
    expect(sizer.size).toBe(40);
  });

  test('stays put when not adaptive (hashed parts must fit a pooled buffer) and respects min', () => {
    const fixed = new PartSizer({ initial: 8, max: 100, min: 0, adaptive: false });
    fixed.observe(8, 1);
    expect(fixed.size).toBe(8);
    expect(new PartSizer({ initial: 8, max: 100, min: 20, adaptive: true }).size).toBe(20);
  });
});

describe('SpeedMeter', () => {
  test('converges on a steady rate and derives the ETA from it', () => {
    const meter = createSpeedMeter();
    for (let t = 0; t <= 10_000; t += 500) meter.sample(t * 1000, t); // 1,000,000 B/s
    expect(meter.speed).toBe(1_000_000);
    expect(meter.eta(5_000_000)).toBeCloseTo(5);
  });

  test('smooths a sudden change instead of jumping to it', () => {
    const meter = createSpeedMeter();
    let bytes = 0;
    for (let t = 0; t <= 10_000; t += 500) meter.sample((bytes = t * 1000), t);
    meter.sample(bytes + 4_000_000 * 0.5, 10_500); // one half-second at 4 MB/s
    expect(meter.speed).toBeGreaterThan(1_000_000);
    expect(meter.speed).toBeLessThan(2_000_000);
  });

  test('unknown ETA before any rate; a rollback restarts the window', () => {
    const meter = createSpeedMeter();
    expect(meter.eta(100)).toBeNull();
    meter.sample(1000, 0);
    meter.sample(2000, 1000);
    meter.sample(500, 1500); // bytes rolled back after a failure
    expect(meter.speed).toBe(1000);
    meter.sample(1500, 2500);
    expect(meter.speed).toBe(1000);
  });
});

describe('StallDetector', () => {
  const make = (timeout = 1000) => {
    const clock = createFakeClock();
    const stalls: number[] = [];
    const detector = new StallDetector(clock, () => timeout, () => stalls.push(clock.now()));
    return { clock, stalls, detector };
  };

  test('is not armed before the first progress event', () => {
    const { clock, stalls } = make();
    clock.advance(10_000);
    expect(stalls).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  test('fires once more than the timeout passed without progress, checking every timeout/4', () => {
    const { clock, stalls, detector } = make(1000);
    detector.progress();
    clock.advance(1000);
    expect(stalls).toEqual([]);
    clock.advance(250);
    expect(stalls).toEqual([1250]);
    clock.advance(10_000);
    expect(stalls).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });

  test('each progress event re-arms it', () => {
    const { clock, stalls, detector } = make(1000);
    for (let i = 0; i < 10; i++) {
      detector.progress();
      clock.advance(900);
    }
    expect(stalls).toEqual([]);
  });

  test('done() disarms it and clears its timer', () => {
    const { clock, stalls, detector } = make(1000);
    detector.progress();
    detector.done();
    clock.advance(10_000);
    expect(stalls).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  test('sent() switches to the response timeout and tells onStall it was waiting for an answer', () => {
    const clock = createFakeClock();
    const stalls: [number, boolean][] = [];
    const detector = new StallDetector(clock, () => 1000, (waiting) => stalls.push([clock.now(), waiting]), () => 8000);
    detector.progress();
    clock.advance(500);
    detector.sent();
    clock.advance(2000);
    detector.sent(); // XHR reports the full body more than once: the wait is not restarted
    clock.advance(6000);
    expect(stalls).toEqual([]);
    clock.advance(2000);
    expect(stalls).toEqual([[10_500, true]]);
    expect(clock.pending()).toBe(0);
  });

  test('without a response timeout, sent() disarms it as before', () => {
    const { clock, stalls, detector } = make(1000);
    detector.progress();
    detector.sent();
    clock.advance(1_000_000);
    expect(stalls).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  test('compares timestamps, so a late (throttled) check still sees the real silence', () => {
    const clock = createFakeClock();
    const stalls: number[] = [];
    // A clock whose timers run 3x late, as in a background tab.
    const throttled = { ...clock, setTimeout: (cb: () => void, ms: number) => clock.setTimeout(cb, ms * 3) };
    const detector = new StallDetector(throttled, () => 1000, () => stalls.push(clock.now()));
    detector.progress();
    clock.advance(750);
    expect(stalls).toEqual([]);
    clock.advance(750);
    expect(stalls).toEqual([1500]);
  });
});
