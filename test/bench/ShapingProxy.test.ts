import { createHash, randomBytes } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { ShapedLink } from './ShapingProxy.js';
import { maxBytesInWindow } from './TokenBucket.js';

/** A TCP sink that answers each connection with the SHA-256 of everything it received. */
async function startSink(): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => {
    const hash = createHash('sha256');
    socket.on('data', (chunk) => hash.update(chunk));
    socket.on('end', () => socket.end(hash.digest('hex')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

function send(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('ShapedLink', () => {
  let link: ShapedLink | undefined;
  let sink: Server | undefined;
  afterEach(async () => {
    await link?.close();
    await new Promise((resolve) => sink?.close(resolve));
  });

  it('carries every byte of several connections through two forwards, and never exceeds the cap', async () => {
    const started = await startSink();
    sink = started.server;
    // 8 Mbit/s = 1 MB/s shared by three connections over two forwarded ports.
    link = new ShapedLink({ uploadBitsPerSecond: 8e6, rttMs: 10 }, true);
    const first = await link.forward(started.port);
    const second = await link.forward(started.port);
    const bodies = [randomBytes(600_000), randomBytes(500_000), randomBytes(400_000)];
    const answers = await Promise.all(bodies.map((body, index) => send(index === 1 ? second.port : first.port, body)));
    expect(answers).toEqual(bodies.map((body) => createHash('sha256').update(body).digest('hex')));

    const total = bodies.reduce((sum, body) => sum + body.length, 0);
    expect(link.uploadedBytes).toBe(total);
    const rate = 1e6;
    for (const windowMs of [5, 50, 250, 1000]) {
      expect(maxBytesInWindow(link.sends, windowMs)).toBeLessThanOrEqual(link.burst + (rate * windowMs) / 1000);
    }
    // Pieces of at most the burst: the cap's unit, so no single write breaks it.
    expect(Math.max(...link.sends.map((piece) => piece.bytes))).toBeLessThanOrEqual(link.burst);
  });

  it('delays a request and its answer by the round trip (the answer never comes before rttMs)', async () => {
    const started = await startSink();
    sink = started.server;
    link = new ShapedLink({ uploadBitsPerSecond: 1e9, rttMs: 60 }, false);
    const { port } = await link.forward(started.port);
    const before = performance.now();
    await send(port, Buffer.from('ping'));
    // Handshake (1 RTT) + request (RTT/2) + answer (RTT/2): a lower bound, whatever the machine's speed.
    expect(performance.now() - before).toBeGreaterThanOrEqual(2 * 60 - 1);
  });
});
