import { checkTargets, type TargetCheck } from './checkTargets.js';
import type { ContenderId } from './contenders.js';
import type { ScenarioId, Summary } from './summarise.js';

const MiB = 1024 * 1024;
const labels = { big: '1 GiB', small: '200 x 1 MiB' };

function summary(scenario: ScenarioId, contender: ContenderId, overrides: Partial<Summary> = {}): Summary {
  return {
    scenario,
    contender,
    runs: 3,
    failures: 0,
    mbps: 100,
    mbpsRange: [100, 100],
    ms: 1000,
    peakGrowthBytes: 20 * MiB,
    longTaskCount: 0,
    worstLongTaskCount: 0,
    worstLongTaskMs: 0,
    requests: undefined,
    browserCpuSeconds: 1,
    serverCpuSeconds: 1,
    ...overrides,
  };
}

const lean = {
  budgetBytes: 64 * MiB,
  worstPeakInFlightBytes: 8 * MiB,
  buffersCreated: 4,
  worstBuffersAfterWarmup: 0,
  leaksDetected: 0,
  notificationsPerSecond: 10,
};

function verdict(checks: TargetCheck[], starts: string): string | undefined {
  return checks.find((check) => check.target.startsWith(starts))?.verdict;
}

describe('checkTargets', () => {
  it('compares lean-upload with the best tus-js-client configuration on the big file', () => {
    const peers = [summary('big', 'tus-js', { mbps: 180 }), summary('big', 'tus-js-8mib', { mbps: 120 })];
    const at = (mbps: number) => checkTargets([summary('big', 'lean', { mbps, lean }), ...peers], labels);
    expect(verdict(at(180), '1 GiB: lean-upload >=')).toBe('PASS');
    expect(verdict(at(179), '1 GiB: lean-upload >=')).toBe('MISS');
  });

  it('compares the verified upload with tus-js-client 8 MiB only', () => {
    const checks = checkTargets(
      [summary('big', 'lean-sha256', { mbps: 125, lean }), summary('big', 'tus-js', { mbps: 180 }), summary('big', 'tus-js-8mib', { mbps: 120 })],
      labels,
    );
    expect(verdict(checks, '1 GiB: lean-upload + SHA-256')).toBe('PASS');
  });

  it('wants 1.5x the best Uppy configuration on many small files', () => {
    const peers = [summary('small', 'uppy', { mbps: 20 }), summary('small', 'uppy-8mib', { mbps: 10 })];
    const at = (mbps: number) => checkTargets([summary('small', 'lean', { mbps }), ...peers], labels);
    expect(verdict(at(30), '200 x 1 MiB')).toBe('PASS');
    expect(verdict(at(29), '200 x 1 MiB')).toBe('MISS');
  });

  it('skips a target whose contenders were not measured, rather than passing it', () => {
    const checks = checkTargets([summary('big', 'lean', { lean })], labels);
    expect(verdict(checks, '1 GiB: lean-upload >=')).toBe('SKIP');
    expect(verdict(checks, '200 x 1 MiB')).toBe('SKIP');
  });

  it('holds browser memory growth to the budget plus 64 MiB', () => {
    const at = (growth: number) => checkTargets([summary('big', 'lean', { peakGrowthBytes: growth, lean })], labels);
    expect(verdict(at(128 * MiB), '1 GiB, lean: browser memory growth')).toBe('PASS');
    expect(verdict(at(129 * MiB), '1 GiB, lean: browser memory growth')).toBe('MISS');
  });

  it('aims at tus-js-client growth plus the reported in-flight bytes plus 16 MiB', () => {
    const peer = summary('big', 'tus-js', { peakGrowthBytes: 30 * MiB });
    const at = (growth: number) => checkTargets([summary('big', 'lean', { peakGrowthBytes: growth, lean }), peer], labels);
    expect(verdict(at(54 * MiB), '1 GiB, lean (aim)')).toBe('PASS');
    expect(verdict(at(55 * MiB), '1 GiB, lean (aim)')).toBe('MISS');
  });

  it('misses on one long task, one late buffer or in-flight bytes over budget in any round', () => {
    const checks = checkTargets(
      [
        summary('big', 'lean', {
          worstLongTaskCount: 1,
          worstLongTaskMs: 51,
          lean: { ...lean, worstBuffersAfterWarmup: 1, worstPeakInFlightBytes: 65 * MiB },
        }),
      ],
      labels,
    );
    expect(verdict(checks, '1 GiB, lean: no main-thread task')).toBe('MISS');
    expect(verdict(checks, '1 GiB, lean: no buffer created after warm-up')).toBe('MISS');
    expect(verdict(checks, '1 GiB, lean: reported in-flight')).toBe('MISS');
  });
});
