import { readBenchConfig } from './readBenchConfig.js';

describe('readBenchConfig', () => {
  it('defaults to the full benchmark: 3 rounds, 1 GiB, 200 files, every contender', () => {
    expect(readBenchConfig({})).toEqual({
      rounds: 3,
      bigFileMiB: 1024,
      smallFiles: 200,
      contenders: ['lean', 'lean-sha256', 'tus-js', 'tus-js-8mib', 'uppy', 'uppy-8mib'],
      scenarios: ['big', 'small'],
      profile: false,
    });
  });

  it('keeps the contenders BENCH_ONLY names, in the standard order', () => {
    expect(readBenchConfig({ BENCH_ONLY: 'uppy, lean' }).contenders).toEqual(['lean', 'uppy']);
  });

  it('keeps the scenarios BENCH_SCENARIOS names', () => {
    expect(readBenchConfig({ BENCH_SCENARIOS: 'small' }).scenarios).toEqual(['small']);
  });

  it('refuses an unknown contender or a size that is not a positive integer before anything runs', () => {
    expect(() => readBenchConfig({ BENCH_ONLY: 'lean,dropzone' })).toThrow(/unknown contender "dropzone"/);
    expect(() => readBenchConfig({ BENCH_SIZE_MIB: '0.5' })).toThrow(/BENCH_SIZE_MIB/);
    expect(() => readBenchConfig({ BENCH_ROUNDS: '0' })).toThrow(/BENCH_ROUNDS/);
    expect(() => readBenchConfig({ BENCH_SCENARIOS: 'huge' })).toThrow(/unknown scenario "huge"/);
  });
});
