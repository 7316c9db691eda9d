import { checkTargets, type TargetCheck } from './checkTargets.js';
import type { ContenderId } from './contenders.js';
import type { NetworkId } from './networks.js';
import type { ScenarioId, Summary } from './summarise.js';

const MiB = 1024 * 1024;
const names = { big: '1 GiB', small: '200 x 1 MiB', tiny: '300 x 16 KiB' };
const labels = (network: NetworkId, scenario: ScenarioId): string => (network === 'loopback' ? names[scenario] : `${network} ${names[scenario]}`);

function summary(scenario: ScenarioId, contender: ContenderId, overrides: Partial<Summary> = {}): Summary {
  return {
    network: 'loopback',
    scenario,
    contender,
    runs: 3,
    failures: 0,
    mbps: 100,
    mbpsRange: [100, 100],
    ms: 1000,
    peakGrowthBytes: 20 * MiB,
    peakNonFileGrowthBytes: 12 * MiB,
    growthByKind: {},
    longTaskCount: 0,
    worstLongTaskCount: 0,
    worstLongTaskMs: 0,
    requests: undefined,
    browserCpuSeconds: 1,
    serverCpuSeconds: 1,
    browserCpuPerGiB: 10,
    serverCpuPerGiB: 5,
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
  it('compares lean-upload with the fastest peer on the big file, Uppy included', () => {
    const peers = [summary('big', 'tus-js', { mbps: 150 }), summary('big', 'tus-js-8mib', { mbps: 120 }), summary('big', 'uppy', { mbps: 180 })];
    const at = (mbps: number) => checkTargets([summary('big', 'lean', { mbps, lean }), ...peers], labels);
    expect(verdict(at(180), '1 GiB: lean-upload >=')).toBe('PASS');
    expect(verdict(at(179), '1 GiB: lean-upload >=')).toBe('MISS');
  });

  it('wants the verified upload at 0.8x tus-js-client 8 MiB, at most 1.5x its browser CPU per GiB', () => {
    const peers = [summary('big', 'tus-js', { mbps: 180 }), summary('big', 'tus-js-8mib', { mbps: 100, browserCpuPerGiB: 6 })];
    const at = (mbps: number, cpu: number) => checkTargets([summary('big', 'lean-sha256', { mbps, browserCpuPerGiB: cpu, lean }), ...peers], labels);
    expect(verdict(at(80, 9), '1 GiB: lean-upload + checksum >=')).toBe('PASS');
    expect(verdict(at(79, 9), '1 GiB: lean-upload + checksum >=')).toBe('MISS');
    expect(verdict(at(80, 9), '1 GiB: lean-upload + checksum browser CPU')).toBe('PASS');
    expect(verdict(at(80, 9.1), '1 GiB: lean-upload + checksum browser CPU')).toBe('MISS');
  });

  it('judges shaped links by the share of the cap, and many tiny files by 2x the best Uppy', () => {
    const fast = (scenario: ScenarioId, contender: ContenderId, overrides: Partial<Summary>) => summary(scenario, contender, { network: 'fast', ...overrides });
    const at = (share: number, tiny: number) =>
      checkTargets([fast('big', 'lean', { utilisation: share }), fast('tiny', 'lean', { mbps: tiny }), fast('tiny', 'uppy', { mbps: 1 })], labels);
    expect(verdict(at(0.97, 2), 'fast 1 GiB: lean-upload (tus)')).toBe('PASS');
    expect(verdict(at(0.969, 2), 'fast 1 GiB: lean-upload (tus)')).toBe('MISS');
    expect(verdict(at(0.97, 2), 'fast 300 x 16 KiB')).toBe('PASS');
    expect(verdict(at(0.97, 1.99), 'fast 300 x 16 KiB')).toBe('MISS');
    expect(verdict(at(0.97, 2), 'slow 1 GiB: lean-upload (tus)')).toBe('SKIP');
  });

  it('wants lean-upload S3 at 1.2x @uppy/aws-s3 on loopback and 1.0x on a shaped link', () => {
    const at = (network: NetworkId, mbps: number) =>
      checkTargets([summary('big', 'lean-s3', { network, mbps }), summary('big', 'uppy-s3', { network, mbps: 100 })], labels);
    expect(verdict(at('loopback', 120), '1 GiB: lean-upload S3')).toBe('PASS');
    expect(verdict(at('loopback', 119), '1 GiB: lean-upload S3')).toBe('MISS');
    expect(verdict(at('slow', 100), "slow 1 GiB: lean-upload S3 (checksum 'auto')")).toBe('PASS');
    expect(verdict(at('slow', 99), "slow 1 GiB: lean-upload S3 (checksum 'auto')")).toBe('MISS');
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

  it('aims at tus-js-client growth plus the reported in-flight bytes plus 16 MiB, both without file-backed pages', () => {
    const peer = summary('big', 'tus-js', { peakGrowthBytes: 40 * MiB, peakNonFileGrowthBytes: 30 * MiB });
    // RSS growth far over the RSS limit (40 + 8 + 16): file-backed pages alone do not miss the target.
    const at = (own: number) => checkTargets([summary('big', 'lean', { peakGrowthBytes: 90 * MiB, peakNonFileGrowthBytes: own, lean }), peer], labels);
    expect(verdict(at(54 * MiB), '1 GiB, lean: growth <= tus-js-client')).toBe('PASS');
    expect(verdict(at(55 * MiB), '1 GiB, lean: growth <= tus-js-client')).toBe('MISS');
    // The RSS ratio is printed beside the verdict: 90 / 64.
    expect(at(54 * MiB).find((check) => check.target.startsWith('1 GiB, lean: growth <='))?.detail).toContain('RSS with them 90.0 MiB vs 64.0 MiB = 1.41x');
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
