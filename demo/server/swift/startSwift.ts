import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { proxyConf, storageServerConf, swiftConf, SWIFT_REGION, SWIFT_USER, type SwiftLayout } from './swiftConfig.js';

/** A running single-node Swift, reached through its S3 API. */
export interface SwiftS3 {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

export const SWIFT_INSTALL_COMMAND =
  'apt-get install -y --no-install-recommends swift swift-proxy swift-object swift-container swift-account memcached';

const BIN = '/usr/bin';
const PYTHON = `${BIN}/python3`;
const SERVERS = ['account', 'container', 'object', 'proxy'] as const;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const READY_WITHIN_MS = 30_000;

/** The binaries startSwift runs are all present (Debian's swift-* packages and memcached). */
export function swiftInstalled(): boolean {
  const binaries = [...SERVERS.map((s) => `${BIN}/swift-${s}-server`), `${BIN}/memcached`, PYTHON];
  return binaries.every((file) => existsSync(file));
}

/**
 * Starts Swift with s3api and tempauth on free 127.0.0.1 ports, its data in a fresh temporary folder
 * (inside `directory` when given), and resolves once the S3 API answers. stop() ends every process
 * and deletes the folder. Ports are probed free and then bound by Swift, so a rare race with another
 * process is possible: a start whose server dies before it answers is tried again on new ports.
 */
export async function startSwift(options: { directory?: string } = {}): Promise<SwiftS3> {
  if (!swiftInstalled()) throw new Error(`OpenStack Swift is not installed: ${SWIFT_INSTALL_COMMAND}`);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options.directory);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(directory: string | undefined): Promise<SwiftS3> {
  const parent = directory ?? os.tmpdir();
  await mkdir(parent, { recursive: true });
  const root = await mkdtemp(path.join(parent, 'swift-'));
  const processes: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(processes.map(endGroup));
    processes.forEach((child) => running.delete(child));
    await rm(root, { recursive: true, force: true });
    roots.delete(root);
  };
  roots.add(root);
  cleanUpOnExit();
  try {
    const layout = await writeLayout(root);
    const logs = path.join(root, 'logs');
    processes.push(launch(`${BIN}/memcached`, memcachedArgs(layout.ports.memcached), layout, logs, 'memcached'));
    for (const server of SERVERS) {
      processes.push(launch(`${BIN}/swift-${server}-server`, [path.join(layout.etc, `${server}-server.conf`)], layout, logs, server));
    }
    processes.forEach((child) => running.add(child));
    await waitUntilReady(layout, processes, logs);
    const swift: SwiftS3 = {
      endpoint: `http://127.0.0.1:${layout.ports.proxy}`,
      region: SWIFT_REGION,
      credentials: { accessKeyId: `${SWIFT_USER.account}:${SWIFT_USER.user}`, secretAccessKey: SWIFT_USER.key },
      stop,
    };
    return swift;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Every Swift process of this Node process still running, for the exit and signal clean-up. */
const running = new Set<ChildProcess>();
/** Their data folders, removed with them. */
const roots = new Set<string>();
let cleanUpInstalled = false;

function cleanUpNow(): void {
  running.forEach(killGroup);
  roots.forEach((root) => rmSync(root, { recursive: true, force: true }));
}

/**
 * The servers run in process groups of their own (so stop() reaches all they start), which also means
 * a Ctrl+C in the terminal does not reach them: end them when this process exits or is told to stop.
 */
function cleanUpOnExit(): void {
  if (cleanUpInstalled) return;
  cleanUpInstalled = true;
  process.once('exit', cleanUpNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanUpNow();
      // Nobody else handles it: do what Node would have done without this listener.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

async function writeLayout(root: string): Promise<SwiftLayout> {
  const [proxy, account, container, object, memcached] = await freePorts(5);
  const layout: SwiftLayout = {
    etc: path.join(root, 'etc'),
    devices: path.join(root, 'srv'),
    run: path.join(root, 'run'),
    ports: { proxy: proxy!, account: account!, container: container!, object: object!, memcached: memcached! },
    hashSuffix: randomBytes(16).toString('hex'),
  };
  for (const dir of [layout.etc, path.join(layout.devices, 'd1'), layout.run, path.join(root, 'logs')]) await mkdir(dir, { recursive: true });
  await writeFile(path.join(layout.etc, 'swift.conf'), swiftConf(layout));
  await writeFile(path.join(layout.etc, 'proxy-server.conf'), proxyConf(layout));
  for (const kind of ['account', 'container', 'object'] as const) {
    await writeFile(path.join(layout.etc, `${kind}-server.conf`), storageServerConf(layout, kind));
  }
  // The proxy loads the CORS filter from its swift_dir (PYTHONPATH), not from the source tree.
  await copyFile(path.join(HERE, 'corsOnErrors.py'), path.join(layout.etc, 'corsOnErrors.py'));
  const built = spawnSync(PYTHON, [path.join(HERE, 'buildRings.py'), layout.etc, String(account), String(container), String(object)], {
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`Swift: building the rings failed: ${built.stderr || built.error?.message}`);
  return layout;
}

function memcachedArgs(port: number): string[] {
  const args = ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '16'];
  // memcached refuses to run as root unless told which user to be.
  return process.getuid?.() === 0 ? [...args, '-u', 'root'] : args;
}

/** One server in its own process group, its output in logs/<name>.log. */
function launch(command: string, args: string[], layout: SwiftLayout, logs: string, name: string): ChildProcess {
  const log = openSync(path.join(logs, `${name}.log`), 'a');
  try {
    return spawn(command, args, {
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, PYTHONPATH: layout.etc, PYTHONDONTWRITEBYTECODE: '1' },
    });
  } finally {
    closeSync(log);
  }
}

async function waitUntilReady(layout: SwiftLayout, processes: ChildProcess[], logs: string): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  const { memcached, ...servers } = layout.ports;
  const pending = new Set<string>([...Object.values(servers).map((port) => `http://127.0.0.1:${port}/healthcheck`)]);
  let memcachedUp = false;
  while (Date.now() < deadline) {
    const dead = processes.find((child) => child.exitCode !== null || child.signalCode !== null);
    if (dead) throw new Error(`Swift: ${dead.spawnfile} exited at start (exit ${dead.exitCode ?? dead.signalCode}); logs in ${logs}`);
    memcachedUp ||= await connects(memcached);
    for (const url of [...pending]) if (await answers(url)) pending.delete(url);
    if (memcachedUp && pending.size === 0 && (await s3Answers(layout.ports.proxy))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Swift: not ready within ${READY_WITHIN_MS / 1000} s; logs in ${logs}`);
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** A ListBuckets with a wrong (V2) signature gets S3's XML refusal once s3api and tempauth are in place. */
async function s3Answers(port: number): Promise<boolean> {
  const headers = { Authorization: `AWS ${SWIFT_USER.account}:${SWIFT_USER.user}:not-a-signature`, Date: new Date().toUTCString() };
  try {
    const answer = await fetch(`http://127.0.0.1:${port}/`, { headers, signal: AbortSignal.timeout(2000) });
    return (await answer.text()).includes('<Error>');
  } catch {
    return false;
  }
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function freePorts(count: number): Promise<number[]> {
  // All held open at once, so the probe never hands out the same port twice.
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** SIGTERM to the process group, SIGKILL if it is still there after a second. */
async function endGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => killGroup(child), 1000);
  await exited;
  clearTimeout(timer);
}
