import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { ProcessTreeSampler } from './ProcessTreeSampler.js';

const MiB = 1024 * 1024;

/** A real child process whose resident memory we control: it fills `mib` MiB and waits. */
async function startHolder(mib: number, ...args: string[]): Promise<ChildProcess> {
  const code = `const b = Buffer.alloc(${mib} * 1024 * 1024, 1); process.stdout.write('ready'); setInterval(() => b[0]++, 1000);`;
  const child = spawn(process.execPath, ['-e', code, '--', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return child;
}

let children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill();
      await once(child, 'exit');
    }
  }
  children = [];
});

describe('ProcessTreeSampler', () => {
  it('sums the resident memory of matching descendants, found through /proc', async () => {
    const sampler = new ProcessTreeSampler(process.pid, /node/);
    const before = sampler.sample();
    children.push(await startHolder(96));
    const after = new ProcessTreeSampler(process.pid, /node/).sample();
    expect(after.processes).toBe(before.processes + 1);
    expect(after.rssBytes - before.rssBytes).toBeGreaterThanOrEqual(96 * MiB);
  });

  it('ignores descendants whose command does not match', async () => {
    children.push(await startHolder(16));
    expect(new ProcessTreeSampler(process.pid, /no-such-browser/).sample()).toEqual({ rssBytes: 0, fileBytes: 0, cpuTicks: 0, processes: 0, rssByKind: {} });
  });

  it('tells the file-backed pages (the binary\'s code) from memory the process allocated', async () => {
    const before = new ProcessTreeSampler(process.pid, /node/).sample();
    children.push(await startHolder(96));
    const after = new ProcessTreeSampler(process.pid, /node/).sample();
    // A node process maps its own binary: some of its RSS is file-backed, never all of it.
    expect(after.fileBytes).toBeGreaterThan(before.fileBytes);
    expect(after.fileBytes).toBeLessThan(after.rssBytes);
    // The 96 MiB Buffer is anonymous memory: it shows without the file-backed pages.
    expect(after.rssBytes - after.fileBytes - (before.rssBytes - before.fileBytes)).toBeGreaterThanOrEqual(96 * MiB);
  });

  it('files each process under its Chromium kind, from --type= in its command line', async () => {
    children.push(await startHolder(48, '--type=renderer'));
    const { rssByKind } = new ProcessTreeSampler(process.pid, /node/).sample();
    expect(rssByKind.renderer ?? 0).toBeGreaterThanOrEqual(48 * MiB);
  });

  it('keeps the peak while sampling, after the memory is gone', async () => {
    const sampler = new ProcessTreeSampler(process.pid, /node/, 1);
    sampler.start(20);
    const child = await startHolder(64);
    children.push(child);
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill();
    await once(child, 'exit');
    const { peakRssBytes, peakNonFileBytes, last } = sampler.stop();
    expect(peakRssBytes - last.rssBytes).toBeGreaterThanOrEqual(64 * MiB);
    expect(peakNonFileBytes - (last.rssBytes - last.fileBytes)).toBeGreaterThanOrEqual(64 * MiB);
  });
});
