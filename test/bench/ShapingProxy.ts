import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { TokenBucket } from './TokenBucket.js';

export interface LinkShape {
  /** Upload-direction capacity in bits per second (10^6 = 1 Mbit/s). */
  uploadBitsPerSecond: number;
  /** Round-trip time added by the link, in ms. */
  rttMs: number;
}

export interface LinkSend {
  atMs: number;
  bytes: number;
}

/**
 * One shaped link on loopback, shared by every connection through any of its forwards (the page's
 * origin and, for S3, the object store's), as one home uplink is shared by every tab and socket.
 *
 * Model (userland TCP forwarding, no HTTP parsing):
 * - Upload cap: bytes from the client pass a token bucket shared by all connections, in arrival
 *   order, pieces of at most the burst (50 ms of the rate, at least 64 KiB). While a piece waits,
 *   reading from that client socket is paused, so the browser's socket fills and it stops sending:
 *   the queue sits in the kernel, like a modem's buffer. The answer direction is not capped.
 * - Latency: every byte is delayed by RTT/2 in each direction (a constant-delay pipe, order kept),
 *   so a request and its answer cost one RTT; a new connection first waits one RTT (the TCP
 *   handshake) before its bytes enter the link. No loss, no congestion window: an ideal link, so
 *   a client that leaves it idle (a round trip between requests, too few connections) shows as
 *   utilisation below 100%.
 */
export class ShapedLink {
  private readonly bucket: TokenBucket;
  private readonly waiting: { bytes: number; go: () => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly servers = new Set<Server>();
  private readonly sockets = new Set<Socket>();
  /** Bytes released by the cap, with their time: for the tests' invariant. Off unless `record`. */
  readonly sends: LinkSend[] = [];
  private sentBytes = 0;

  constructor(
    readonly shape: LinkShape,
    private readonly record = false,
    private readonly now: () => number = () => performance.now(),
  ) {
    const rate = shape.uploadBitsPerSecond / 8;
    // 50 ms of the rate (at least 64 KiB): a timer or a read that late on a busy machine loses no capacity.
    this.bucket = new TokenBucket(rate, Math.max(64 * 1024, Math.ceil(rate * 0.05)), now());
  }

  get burst(): number {
    return this.bucket.burst;
  }

  /** Bytes the cap has let through so far (client to server, all connections). */
  get uploadedBytes(): number {
    return this.sentBytes;
  }

  /** Listens on a free 127.0.0.1 port and forwards every connection to `targetPort` over this link. */
  async forward(targetPort: number): Promise<{ port: number; origin: string }> {
    // Half-open allowed: a client may end its side and still read the answer; ends are forwarded.
    const server = createServer({ allowHalfOpen: true }, (client) => this.pipe(client, targetPort));
    this.servers.add(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { port, origin: `http://127.0.0.1:${port}` };
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([...this.servers].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    this.servers.clear();
  }

  private pipe(client: Socket, targetPort: number): void {
    const upstream = connect({ port: targetPort, host: '127.0.0.1', allowHalfOpen: true });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on('close', () => this.sockets.delete(socket));
    }
    const half = this.shape.rttMs / 2;
    client.pause();
    // The handshake: the client's first byte reaches the server 1.5 RTT after it connects.
    setTimeout(() => client.resume(), this.shape.rttMs);
    let admitted = Promise.resolve();
    client.on('data', (chunk: Buffer) => {
      client.pause();
      admitted = this.admit(chunk).then(() => {
        later(half, () => upstream.destroyed || upstream.write(chunk));
        if (!upstream.writableNeedDrain) client.resume();
        else upstream.once('drain', () => client.resume());
      });
    });
    upstream.on('data', (chunk: Buffer) => later(half, () => client.destroyed || client.write(chunk)));
    // Ends travel the link too, after the bytes before them.
    client.on('end', () => void admitted.then(() => later(half, () => upstream.end())));
    upstream.on('end', () => later(half, () => client.end()));
  }

  /** Resolves when the whole chunk has passed the cap (in burst-sized pieces, FIFO across sockets). */
  private async admit(chunk: Buffer): Promise<void> {
    for (let offset = 0; offset < chunk.length; offset += this.burst) {
      const bytes = Math.min(this.burst, chunk.length - offset);
      await new Promise<void>((go) => {
        this.waiting.push({ bytes, go });
        this.pump();
      });
    }
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (let head = this.waiting[0]; head; head = this.waiting[0]) {
      const at = this.now();
      if (!this.bucket.tryTake(head.bytes, at)) {
        this.timer = setTimeout(() => this.pump(), Math.max(1, Math.ceil(this.bucket.delayFor(head.bytes, at))));
        return;
      }
      this.waiting.shift();
      this.sentBytes += head.bytes;
      if (this.record) this.sends.push({ atMs: at, bytes: head.bytes });
      head.go();
    }
  }
}

/** Same-duration timers fire in the order they were set, so a constant delay keeps byte order. */
function later(ms: number, action: () => void): void {
  if (ms <= 0) action();
  else setTimeout(action, ms);
}
