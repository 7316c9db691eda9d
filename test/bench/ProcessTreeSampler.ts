import { readdirSync, readFileSync } from 'node:fs';

const PAGE_SIZE = 4096;
const TICKS_PER_SECOND = 100;

interface ProcessStat {
  ppid: number;
  rssBytes: number;
  cpuTicks: number;
}

export interface TreeSample {
  rssBytes: number;
  /**
   * The file-backed part of that RSS (RssFile in /proc/<pid>/status): pages of Chromium's binary and
   * libraries (code, read-only data), fonts, ICU data. Clean, shared by every process that maps them,
   * dropped and re-read under memory pressure: Chromium's own "memory footprint" leaves them out.
   */
  fileBytes: number;
  cpuTicks: number;
  processes: number;
  /** RSS per Chromium process kind (`--type=` of its command line; 'browser' without one). */
  rssByKind: Record<string, number>;
}

/**
 * Sums RSS (and CPU time) over every process below `rootPid` whose command line matches,
 * i.e. the Chromium the runner launched and all its helpers, by walking /proc. The set of
 * pids is refreshed every `rescanEvery` samples, since walking all of /proc costs more than
 * reading a handful of stat files.
 */
export class ProcessTreeSampler {
  private pids: number[] = [];
  private kinds = new Map<number, string>();
  private samplesSinceScan = Infinity;
  private peakRss = 0;
  private peakNonFile = 0;
  private peakByKind: Record<string, number> = {};
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly rootPid: number,
    private readonly match: RegExp = /chrom/i,
    private readonly rescanEvery = 10,
  ) {}

  sample(): TreeSample {
    if (this.samplesSinceScan >= this.rescanEvery) this.rescan();
    this.samplesSinceScan += 1;
    let rssBytes = 0;
    let fileBytes = 0;
    let cpuTicks = 0;
    let processes = 0;
    const rssByKind: Record<string, number> = {};
    for (const pid of this.pids) {
      const stat = readStat(pid);
      if (!stat) continue;
      rssBytes += stat.rssBytes;
      fileBytes += readFileRss(pid);
      cpuTicks += stat.cpuTicks;
      processes += 1;
      const kind = this.kinds.get(pid) ?? 'other';
      rssByKind[kind] = (rssByKind[kind] ?? 0) + stat.rssBytes;
    }
    this.peakRss = Math.max(this.peakRss, rssBytes);
    this.peakNonFile = Math.max(this.peakNonFile, rssBytes - fileBytes);
    for (const [kind, bytes] of Object.entries(rssByKind)) this.peakByKind[kind] = Math.max(this.peakByKind[kind] ?? 0, bytes);
    return { rssBytes, fileBytes, cpuTicks, processes, rssByKind };
  }

  /** Samples every `intervalMs` until stop(); returns the peak summed RSS seen. */
  start(intervalMs = 100): void {
    this.samplesSinceScan = Infinity;
    this.peakRss = 0;
    this.peakNonFile = 0;
    this.peakByKind = {};
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** The peaks since start(): summed RSS, summed RSS without its file-backed pages, RSS per kind. */
  stop(): { peakRssBytes: number; peakNonFileBytes: number; peakRssByKind: Record<string, number>; last: TreeSample } {
    clearInterval(this.timer);
    const last = this.sample();
    return { peakRssBytes: this.peakRss, peakNonFileBytes: this.peakNonFile, peakRssByKind: { ...this.peakByKind }, last };
  }

  private rescan(): void {
    this.samplesSinceScan = 0;
    const children = new Map<number, number[]>();
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      const stat = readStat(pid);
      if (!stat) continue;
      const siblings = children.get(stat.ppid) ?? [];
      siblings.push(pid);
      children.set(stat.ppid, siblings);
    }
    const found: number[] = [];
    const queue = [...(children.get(this.rootPid) ?? [])];
    this.kinds.clear();
    for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
      const kind = this.kindOf(pid);
      if (kind !== undefined) {
        found.push(pid);
        this.kinds.set(pid, kind);
      }
      queue.push(...(children.get(pid) ?? []));
    }
    this.pids = found;
  }

  /** The process kind of a matching process; undefined when it does not match. */
  private kindOf(pid: number): string | undefined {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
    } catch {
      return undefined;
    }
    if (!this.match.test(argv[0] ?? '')) return undefined;
    // Chromium rewrites its helpers' command lines into one string, so split on spaces too.
    argv = argv.flatMap((arg) => arg.split(' '));
    const type = argv.find((arg) => arg.startsWith('--type='))?.slice('--type='.length);
    // e.g. --utility-sub-type=network.mojom.NetworkService: 'utility:network'.
    const service = argv.find((arg) => arg.startsWith('--utility-sub-type='))?.slice('--utility-sub-type='.length).split('.')[0];
    return type === undefined ? 'browser' : type === 'utility' && service ? `utility:${service}` : type;
  }
}

export function ticksToSeconds(ticks: number): number {
  return ticks / TICKS_PER_SECOND;
}

/** RssFile of /proc/<pid>/status in bytes (0 when the process ended or the kernel lacks the line). */
function readFileRss(pid: number): number {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return 0;
  }
  const kib = /^RssFile:\s+(\d+) kB$/m.exec(text)?.[1];
  return kib === undefined ? 0 : Number(kib) * 1024;
}

function readStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined; // the process ended between listing and reading
  }
  // Field 2 (comm) may hold spaces and parentheses; the rest follows the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After comm: state(0) ppid(1) ... utime(11) stime(12) ... rss(21)
  return {
    ppid: Number(fields[1]),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
    rssBytes: Number(fields[21]) * PAGE_SIZE,
  };
}
