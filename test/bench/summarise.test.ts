import { median, summarise, type RunRecord } from './summarise.js';

const MiB = 1024 * 1024;

function run(overrides: Partial<RunRecord>): RunRecord {
  return {
    round: 1,
    network: 'loopback',
    scenario: 'big',
    contender: 'lean',
    ok: true,
    bytes: 100 * MiB,
    files: 1,
    ms: 1000,
    mbps: 100,
    baselineRssBytes: 300 * MiB,
    peakGrowthBytes: 10 * MiB,
    peakNonFileGrowthBytes: 6 * MiB,
    growthByKind: { browser: 2 * MiB, renderer: 8 * MiB },
    pageMemory: null,
    browserProcesses: 6,
    browserVersion: '156.0.0.0',
    longTasks: { count: 0, maxMs: 0, totalMs: 0, first: [] },
    requests: {
      byMethod: { POST: 1, PATCH: 1 },
      bodyBytes: { count: 1, median: 100 * MiB, max: 100 * MiB, min: 100 * MiB },
      postBodyBytes: 0,
      bodyRequests: 1,
      checksummedBodies: 0,
      maxConcurrent: 1,
      medianMsByMethod: { POST: 5, PATCH: 900 },
      spanMs: 1000,
      idleMs: 10,
    },
    browserCpuSeconds: 1,
    serverCpuSeconds: 1,
    ...overrides,
  };
}

describe('median', () => {
  it('takes the middle value of an odd count, whatever the order', () => {
    expect(median([300, 100, 200])).toBe(200);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is NaN for no values, so an empty figure never reads as zero', () => {
    expect(median([])).toBeNaN();
  });
});

describe('summarise', () => {
  it('reports medians of throughput and memory over the rounds of one contender and scenario', () => {
    const records = [
      run({ round: 1, mbps: 90, peakGrowthBytes: 30 * MiB, peakNonFileGrowthBytes: 5 * MiB }),
      run({ round: 2, mbps: 150, peakGrowthBytes: 10 * MiB, peakNonFileGrowthBytes: 9 * MiB }),
      run({ round: 3, mbps: 120, peakGrowthBytes: 20 * MiB, peakNonFileGrowthBytes: 7 * MiB }),
      run({ round: 1, contender: 'tus-js', mbps: 999 }),
      run({ round: 1, scenario: 'small', mbps: 5 }),
    ];
    const summary = summarise(records, 'loopback', 'big', 'lean');
    expect(summary?.runs).toBe(3);
    expect(summary?.mbps).toBe(120);
    expect(summary?.mbpsRange).toEqual([90, 150]);
    expect(summary?.peakGrowthBytes).toBe(20 * MiB);
    expect(summary?.peakNonFileGrowthBytes).toBe(7 * MiB);
  });

  it('takes the worst round for figures that must never happen', () => {
    const lean = { budgetBytes: 64 * MiB, peakInFlightBytes: 8 * MiB, buffersCreated: 4, buffersReused: 10, leaksDetected: 0, notifications: 20 };
    const records = [
      run({ round: 1, lean: { ...lean, buffersCreatedAfterWarmup: 0 } }),
      run({ round: 2, longTasks: { count: 2, maxMs: 80, totalMs: 140, first: [] }, lean: { ...lean, buffersCreatedAfterWarmup: 3 } }),
      run({ round: 3, lean: { ...lean, peakInFlightBytes: 70 * MiB, buffersCreatedAfterWarmup: 0 } }),
    ];
    const summary = summarise(records, 'loopback', 'big', 'lean');
    expect(summary?.longTaskCount).toBe(0);
    expect(summary?.worstLongTaskCount).toBe(2);
    expect(summary?.worstLongTaskMs).toBe(80);
    expect(summary?.lean?.worstBuffersAfterWarmup).toBe(3);
    expect(summary?.lean?.worstPeakInFlightBytes).toBe(70 * MiB);
  });

  it('counts failed rounds and keeps them out of the medians', () => {
    const records = [run({ round: 1, mbps: 100 }), run({ round: 2, ok: false, mbps: 0, error: 'corrupt' })];
    const summary = summarise(records, 'loopback', 'big', 'lean');
    expect(summary?.runs).toBe(1);
    expect(summary?.failures).toBe(1);
    expect(summary?.mbps).toBe(100);
  });

  it('keeps links apart, and reports utilisation of the cap, CPU per GiB and measured page memory', () => {
    const memory = { baselineBytes: 10 * MiB, peakBytes: 30 * MiB, peakWindowBytes: 12 * MiB, peakWorkerBytes: 18 * MiB, samples: 5 };
    const records = [
      run({ network: 'fast', linkBytesPerSecond: 12.5e6, mbps: 12, browserCpuSeconds: 2, pageMemory: memory }),
      run({ network: 'loopback', mbps: 200 }),
    ];
    const summary = summarise(records, 'fast', 'big', 'lean');
    expect(summary?.mbps).toBe(12);
    expect(summary?.utilisation).toBeCloseTo(0.96, 5);
    expect(summary?.browserCpuPerGiB).toBeCloseTo(2 * 1024 / 100, 5); // 2 s for 100 MiB
    expect(summary?.pageMemoryGrowthBytes).toBe(20 * MiB);
    expect(summary?.pageWorkerBytes).toBe(18 * MiB);
    expect(summarise(records, 'loopback', 'big', 'lean')?.utilisation).toBeUndefined();
  });

  it('has nothing to say about a contender that did not run', () => {
    expect(summarise([run({})], 'loopback', 'big', 'uppy')).toBeUndefined();
  });
});
