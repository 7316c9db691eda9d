import type { Clock } from './ports.js';

/**
 * Notices a request that went quiet. Armed by the first progress event (a request that has not
 * started sending is the server's or the queue's business), re-armed by each one. Once the whole
 * body is out (sent()), silence is no longer a stall: the server is working on its answer, so it
 * gets the separate, generous response timeout instead; a server that never answers would
 * otherwise hold the request open forever. done() disarms both.
 *
 * It compares timestamps rather than trusting one long timer, because background tabs throttle
 * timers: a check that runs late still sees how long it has really been since the last byte.
 */
export class StallDetector {
  readonly #clock: Clock;
  readonly #timeout: () => number;
  readonly #onStall: (waiting: boolean) => void;
  readonly #responseTimeout: () => number;
  #lastProgressAt: number | null = null;
  /** True once the whole body was sent: the quiet is the wait for an answer. */
  #waiting = false;
  #timer: unknown = null;

  /** `onStall(waiting)`: waiting is true when the body was fully sent and no answer came in time. */
  constructor(clock: Clock, timeout: () => number, onStall: (waiting: boolean) => void, responseTimeout = () => Infinity) {
    this.#clock = clock;
    this.#timeout = timeout;
    this.#onStall = onStall;
    this.#responseTimeout = responseTimeout;
  }

  progress(): void {
    this.#arm(false);
  }

  /** The whole body is out; only the first call starts the wait for the answer. */
  sent(): void {
    if (!this.#waiting) this.#arm(true);
  }

  done(): void {
    this.#lastProgressAt = null;
    this.#waiting = false;
    this.#clear();
  }

  #clear(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #arm(waiting: boolean): void {
    this.#lastProgressAt = this.#clock.now();
    if (this.#timer !== null && waiting === this.#waiting) return;
    // A change of mode changes the check interval: reschedule rather than check late.
    this.#waiting = waiting;
    this.#clear();
    this.#schedule();
  }

  #limit(): number {
    return this.#waiting ? this.#responseTimeout() : this.#timeout();
  }

  #schedule(): void {
    const limit = this.#limit();
    // Infinity means "no limit": setTimeout would treat it as 0 and spin.
    if (limit < Infinity) this.#timer = this.#clock.setTimeout(() => this.#check(), Math.max(1, limit / 4));
  }

  #check(): void {
    this.#timer = null;
    if (this.#lastProgressAt === null) return;
    if (this.#clock.now() - this.#lastProgressAt <= this.#limit()) return this.#schedule();
    const waiting = this.#waiting;
    this.done();
    this.#onStall(waiting);
  }
}
