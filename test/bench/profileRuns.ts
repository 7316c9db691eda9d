import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../support/chromium.js';
import { buildPages } from './buildPages.js';
import { CONTENDERS, contenderById, type Contender, type ContenderId } from './contenders.js';
import { createTusRoutes } from './createTusRoutes.js';
import { generateFiles, type SourceFile } from './generateFiles.js';
import { hotFunctions } from './pageProfiler.js';
import { INPUT_ID } from './pages/pageProtocol.js';
import { openContenderPage } from './runContender.js';
import { startBenchServer, type BenchServer } from './startBenchServer.js';
import { clearUploads, verifyUploads } from './verifyUploads.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, '.artifacts/bench/profile');
const MiB = 1024 * 1024;

/** CPU ticks per thread, keyed "process kind / thread name" (threads of one name summed). */
type ThreadTicks = Map<string, number>;

/**
 * Diagnosis, not a benchmark: runs contenders on the many-small-files scenario and tells where
 * CPU time goes — per Chromium process kind and thread, per thread of the Node server, and (with
 * PROFILE_CPU=1) the hottest functions of the page and of the server's main thread.
 */
export async function profileRuns(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const ids = (env.PROFILE_ONLY ?? 'lean,uppy').split(',').map((id) => id.trim()) as ContenderId[];
  for (const id of ids) if (!CONTENDERS.some((contender) => contender.id === id)) throw new Error(`unknown contender ${id}`);
  const rounds = Number(env.PROFILE_ROUNDS ?? '1');
  const cpuProfile = env.PROFILE_CPU === '1';
  const count = Number(env.PROFILE_FILES ?? '200');
  const files = generateFiles(`small-${count}x1MiB`, count, MiB);
  const contenders = ids.map(contenderById);
  mkdirSync(artifacts, { recursive: true });
  await buildPages(path.join(artifacts, 'pages'), contenders, !cpuProfile);
  const routes = createTusRoutes(path.join(root, '.uploads/bench-profile'));
  const server = await startBenchServer(path.join(artifacts, 'pages'), routes);
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const contender of contenders) {
        const route = routes.find((candidate) => candidate.kind === contender.server);
        if (!route) throw new Error('no route');
        await clearUploads(route.directory);
        await profileOne(server, route.route, route.directory, contender, files, cpuProfile ? `${contender.id}-${round}` : undefined);
        await clearUploads(route.directory);
      }
    }
  } finally {
    await server.close();
  }
}

async function profileOne(
  server: BenchServer,
  endpoint: string,
  directory: string,
  contender: Contender,
  files: readonly SourceFile[],
  profileName: string | undefined,
): Promise<void> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const { page, done } = await openContenderPage(browser, server.origin, endpoint, contender);
    const cdp = profileName ? await page.context().newCDPSession(page) : undefined;
    const inspector = profileName ? new Session() : undefined;
    if (cdp && inspector) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
      await cdp.send('Profiler.start');
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.setSamplingInterval', { interval: 250 });
      await inspector.post('Profiler.start');
    }
    const before = threadTicks();
    const wallStart = Date.now();
    await page.setInputFiles(`#${INPUT_ID}`, files.map((file) => file.path));
    const result = await done;
    const wallMs = Date.now() - wallStart;
    const after = threadTicks();
    // Stopped before verifying: hashing the stored files is the runner's work, not the server's.
    const pageProfile = cdp ? (await cdp.send('Profiler.stop')).profile : undefined;
    const serverProfile = inspector ? (await inspector.post('Profiler.stop')).profile : undefined;
    inspector?.disconnect();
    if (!result.ok) throw new Error(`${contender.id}: ${result.error}`);
    const problems = await verifyUploads(directory, files, result.outcome.urls);
    if (problems.length > 0) throw new Error(`${contender.id}: ${problems[0]}`);
    log(`\n== ${contender.id}: ${((result.bytes / 1e3) / result.ms).toFixed(1)} MB/s, page ${result.ms.toFixed(0)} ms, wall ${wallMs} ms` +
      (result.outcome.lean ? `, ${result.outcome.lean.notifications} notifications` : ''));
    reportTicks(before, after);
    if (pageProfile && serverProfile && profileName) {
      writeFileSync(path.join(artifacts, `${profileName}-page.cpuprofile`), JSON.stringify(pageProfile));
      writeFileSync(path.join(artifacts, `${profileName}-server.cpuprofile`), JSON.stringify(serverProfile));
      log('  page main thread, self time:');
      for (const hot of hotFunctions(pageProfile, 25)) log(`    ${String(hot.selfMs).padStart(6)} ms  ${hot.name}`);
      log('  server main thread, self time by module:');
      for (const [name, ms] of byModule(serverProfile).slice(0, 15)) log(`    ${String(ms).padStart(6)} ms  ${name}`);
      log('  server main thread, self time:');
      for (const hot of hotFunctions(serverProfile, 25)) log(`    ${String(hot.selfMs).padStart(6)} ms  ${hot.name}`);
    }
  } finally {
    await browser.close();
  }
}

/** Per-thread CPU of this process (the server and runner) and of every Chromium below it. */
function threadTicks(): ThreadTicks {
  const ticks: ThreadTicks = new Map();
  const add = (pid: number, kind: string): void => {
    for (const tid of safeList(`/proc/${pid}/task`)) {
      const stat = readStat(`/proc/${pid}/task/${tid}/stat`);
      if (!stat) continue;
      const thread = Number(tid) === pid ? 'main' : stat.comm.replace(/\d+$/, '#');
      const key = `${kind} / ${thread}`;
      ticks.set(key, (ticks.get(key) ?? 0) + stat.ticks);
    }
  };
  add(process.pid, 'node server+runner');
  for (const pid of descendants(process.pid)) add(pid, chromeKind(pid));
  return ticks;
}

function reportTicks(before: ThreadTicks, after: ThreadTicks): void {
  const deltas = [...after].map(([key, value]) => [key, value - (before.get(key) ?? 0)] as const).filter(([, value]) => value > 0);
  const byKind = new Map<string, number>();
  for (const [key, value] of deltas) {
    const kind = key.split(' / ')[0] ?? key;
    byKind.set(kind, (byKind.get(kind) ?? 0) + value);
  }
  log('  CPU s by process: ' + [...byKind].sort((a, b) => b[1] - a[1]).map(([kind, value]) => `${kind} ${(value / 100).toFixed(2)}`).join(', '));
  log('  CPU s by thread (>= 0.05 s):');
  for (const [key, value] of deltas.sort((a, b) => b[1] - a[1])) if (value >= 5) log(`    ${(value / 100).toFixed(2).padStart(6)}  ${key}`);
}

function descendants(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of safeList('/proc')) {
    const pid = Number(entry);
    const stat = Number.isInteger(pid) ? readStat(`/proc/${pid}/stat`) : undefined;
    if (!stat) continue;
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  }
  const found: number[] = [];
  const queue = [...(children.get(rootPid) ?? [])];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

function chromeKind(pid: number): string {
  let args: string[];
  try {
    // Zygote children rewrite their title: one string with spaces rather than NUL-separated arguments.
    args = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split(/[\0 ]/);
  } catch {
    return 'gone';
  }
  if (!/chrom/i.test(args[0] ?? '')) return 'other';
  const type = args.find((arg) => arg.startsWith('--type='))?.slice(7);
  const sub = args.find((arg) => arg.startsWith('--utility-sub-type='))?.slice(19).split('.')[0];
  return `chromium ${type ?? 'browser'}${sub ? `:${sub}` : ''}`;
}

function readStat(file: string): { comm: string; ppid: number; ticks: number } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  return { comm: text.slice(text.indexOf('(') + 1, close), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

function safeList(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}

interface Profile {
  nodes: { id: number; callFrame: { url: string } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time by package (node_modules/<name>), Node internals, or project folder. */
function byModule(profile: Profile): [string, number][] {
  const urlOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame.url]));
  const totals = new Map<string, number>();
  (profile.samples ?? []).forEach((id, index) => {
    const url = urlOf.get(id) ?? '';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    const name = pkg ?? (url.startsWith('node:') ? url.split('/').slice(0, 2).join('/') : url === '' ? '(native, gc, idle)' : path.relative(root, url.replace(/^file:\/\//, '')));
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas?.[index] ?? 0) / 1000);
  });
  return [...totals].map(([name, ms]) => [name, Math.round(ms)] as [string, number]).sort((a, b) => b[1] - a[1]);
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
