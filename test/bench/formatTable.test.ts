import type { ContenderId } from './contenders.js';
import { formatTable } from './formatTable.js';
import type { Summary } from './summarise.js';

function summary(contender: ContenderId, mbps: number, overrides: Partial<Summary> = {}): Summary {
  return {
    network: 'loopback',
    scenario: 'big',
    contender,
    runs: 3,
    failures: 0,
    mbps,
    mbpsRange: [mbps, mbps],
    ms: 1000,
    peakGrowthBytes: 0,
    peakNonFileGrowthBytes: 0,
    growthByKind: {},
    longTaskCount: 0,
    worstLongTaskCount: 0,
    worstLongTaskMs: 0,
    requests: undefined,
    browserCpuSeconds: 0,
    serverCpuSeconds: 0,
    browserCpuPerGiB: 0,
    serverCpuPerGiB: 0,
    ...overrides,
  };
}

function row(markdown: string, label: string): string[] {
  const line = markdown.split('\n').find((text) => text.startsWith(`| ${label} |`));
  if (!line) throw new Error(`no row for ${label}`);
  return line.split('|').slice(1, -1).map((cell) => cell.trim());
}

describe('formatTable', () => {
  it('gives each contender its ratio to every measured peer', () => {
    const markdown = formatTable('t', [summary('lean', 150), summary('tus-js', 100), summary('uppy', 50)]);
    expect(row(markdown, 'contender')).toEqual(expect.arrayContaining(['vs tus-js', 'vs uppy']));
    expect(row(markdown, 'contender')).not.toContain('vs tus-js-8mib');
    expect(row(markdown, 'lean-upload').slice(2, 6)).toEqual(['150.0', '150–150', '1.50x', '3.00x']);
  });

  it('shows the share of the link on shaped links, and CPU per GiB', () => {
    const markdown = formatTable('t', [summary('lean', 12, { utilisation: 0.961, browserCpuPerGiB: 4.25, serverCpuPerGiB: 2 })]);
    expect(row(markdown, 'contender')[4]).toBe('% of link');
    expect(row(markdown, 'lean-upload')[4]).toBe('96.1');
    expect(markdown).toContain('| 4.3 / 2.0 |');
  });

  it('marks failed rounds in the runs column', () => {
    const markdown = formatTable('t', [summary('lean', 150, { runs: 2, failures: 1 })]);
    expect(row(markdown, 'lean-upload')[1]).toBe('2 (1 FAILED)');
  });

  it('shows no figures for a contender whose every round failed', () => {
    const markdown = formatTable('t', [summary('lean', Number.NaN, { runs: 0, failures: 1, mbpsRange: [Infinity, -Infinity], longTaskCount: Number.NaN })]);
    expect(row(markdown, 'lean-upload').slice(1, 4)).toEqual(['0 (1 FAILED)', '-', '']);
    expect(markdown).not.toContain('NaN');
  });
});
