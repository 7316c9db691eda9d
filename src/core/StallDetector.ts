import type { Clock } from './ports.js';

/**
 * Notices a request whose bytes stopped flowing. Armed by the first progress event (a request
 * that has not started sending is the server's or the queue's business), re-armed by each one,
 * disarmed by done() once the whole body is out: waiting for the server's answer is not a stall.
 *
 * It compares timestamps rather than trusting one long timer, because background tabs throttle
 * timers: a check that runs late still sees how long it has really been since the last byte.
 */
export class StallDetector {
  private lastProgressAt: number | null = null;
  private timer: unknown = null;

  constructor(
    private readonly clock: Clock,
    private readonly timeout: () => number,
    private readonly onStall: () => void,
  ) {}

  progress(): void {
    this.lastProgressAt = this.clock.now();
    if (this.timer === null) this.schedule();
  }

  done(): void {
    this.lastProgressAt = null;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => this.check(), Math.max(1, this.timeout() / 4));
  }

  private check(): void {
    this.timer = null;
    if (this.lastProgressAt === null) return;
    if (this.clock.now() - this.lastProgressAt > this.timeout()) {
      this.done();
      this.onStall();
      return;
    }
    this.schedule();
  }
}
