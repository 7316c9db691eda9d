import { readBenchConfig } from './readBenchConfig.js';

describe('readBenchConfig', () => {
  it('defaults to the full benchmark: 3 rounds (1 on shaped links), 1 GiB, 200 and 300 files, every contender and link', () => {
    expect(readBenchConfig({})).toEqual({
      quick: false,
      rounds: 3,
      shapedRounds: 1,
      bigFileMiB: 1024,
      shapedBigFileMiB: 128,
      smallFiles: 200,
      tinyFiles: 300,
      contenders: ['lean', 'lean-sha256', 'tus-js', 'tus-js-8mib', 'uppy', 'uppy-8mib', 'lean-s3', 'uppy-s3'],
      networks: ['loopback', 'fast', 'slow'],
      scenarios: ['big', 'small', 'tiny'],
      profile: false,
    });
  });

  it('BENCH_QUICK shrinks rounds, sizes and contenders, and explicit variables still win', () => {
    const quick = readBenchConfig({ BENCH_QUICK: '1', BENCH_SMALL_FILES: '12' });
    expect(quick).toMatchObject({ quick: true, rounds: 1, bigFileMiB: 64, shapedBigFileMiB: 8, smallFiles: 12, tinyFiles: 30 });
    expect(quick.contenders).toEqual(['lean', 'lean-sha256', 'tus-js-8mib', 'uppy', 'lean-s3', 'uppy-s3']);
  });

  it('keeps the contenders BENCH_ONLY names and the links BENCH_NETWORKS names, in the standard order', () => {
    expect(readBenchConfig({ BENCH_ONLY: 'uppy, lean' }).contenders).toEqual(['lean', 'uppy']);
    expect(readBenchConfig({ BENCH_NETWORKS: 'slow,loopback' }).networks).toEqual(['loopback', 'slow']);
  });

  it('keeps the scenarios BENCH_SCENARIOS names', () => {
    expect(readBenchConfig({ BENCH_SCENARIOS: 'tiny,small' }).scenarios).toEqual(['small', 'tiny']);
  });

  it('refuses an unknown contender, link or a size that is not a positive integer before anything runs', () => {
    expect(() => readBenchConfig({ BENCH_ONLY: 'lean,dropzone' })).toThrow(/unknown contender "dropzone"/);
    expect(() => readBenchConfig({ BENCH_NETWORKS: 'dialup' })).toThrow(/unknown network "dialup"/);
    expect(() => readBenchConfig({ BENCH_SIZE_MIB: '0.5' })).toThrow(/BENCH_SIZE_MIB/);
    expect(() => readBenchConfig({ BENCH_ROUNDS: '0' })).toThrow(/BENCH_ROUNDS/);
    expect(() => readBenchConfig({ BENCH_SCENARIOS: 'huge' })).toThrow(/unknown scenario "huge"/);
  });
});
