import type { IncomingMessage, ServerResponse } from 'node:http';
import { median } from './summarise.js';

export interface RequestFigures {
  byMethod: Record<string, number>;
  /** Sizes of the requests that carried file bytes. */
  bodyBytes: { count: number; median: number; max: number; min: number };
  postBodyBytes: number;
  /** Requests that carried file bytes (PATCH, or POST with creation-with-upload). */
  bodyRequests: number;
  /** Of those, the ones with an Upload-Checksum header (tus checksum extension). */
  checksummedBodies: number;
  maxConcurrent: number;
  /** Median time from request to response close, per method, in ms. */
  medianMsByMethod: Record<string, number>;
  /** From the first request to the last response, and how much of it no request was open. */
  spanMs: number;
  idleMs: number;
}

/**
 * What a client asked of the tus server: methods, bytes per request, requests open at once, how
 * long each took, and how long the server sat idle waiting for the client's next request.
 */
export class RequestStats {
  private byMethod: Record<string, number> = {};
  private bodySizes: number[] = [];
  private postBodyBytes = 0;
  private bodyRequests = 0;
  private checksummedBodies = 0;
  private open = 0;
  private maxConcurrent = 0;
  private durations: Record<string, number[]> = {};
  private firstStart: number | undefined;
  private lastEnd = 0;
  private idleSince: number | undefined;
  private idleMs = 0;
  private events = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  track(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
    const length = Number(req.headers['content-length'] ?? 0);
    if (method === 'PATCH' || (method === 'POST' && length > 0)) {
      this.bodyRequests += 1;
      this.bodySizes.push(length);
      if (req.headers['upload-checksum']) this.checksummedBodies += 1;
    }
    if (method === 'POST') this.postBodyBytes += length;
    this.events += 1;
    const started = this.now();
    this.firstStart ??= started;
    if (this.open === 0 && this.idleSince !== undefined) this.idleMs += started - this.idleSince;
    this.open += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.open);
    res.once('close', () => {
      this.events += 1;
      const ended = this.now();
      (this.durations[method] ??= []).push(ended - started);
      this.lastEnd = ended;
      this.open -= 1;
      if (this.open === 0) this.idleSince = ended;
    });
  }

  /** Grows with every request started or ended: a cheap sign of life. */
  activity(): number {
    return this.events;
  }

  figures(): RequestFigures {
    const sizes = [...this.bodySizes].sort((a, b) => a - b);
    const medianMsByMethod = Object.fromEntries(
      Object.entries(this.durations).map(([method, durations]) => [method, Math.round(median(durations) * 10) / 10]),
    );
    return {
      byMethod: { ...this.byMethod },
      bodyBytes: {
        count: sizes.length,
        median: sizes.length ? (sizes[Math.floor(sizes.length / 2)] ?? 0) : 0,
        max: sizes.at(-1) ?? 0,
        min: sizes[0] ?? 0,
      },
      postBodyBytes: this.postBodyBytes,
      bodyRequests: this.bodyRequests,
      checksummedBodies: this.checksummedBodies,
      maxConcurrent: this.maxConcurrent,
      medianMsByMethod,
      spanMs: this.firstStart === undefined ? 0 : Math.max(0, this.lastEnd - this.firstStart),
      idleMs: this.idleMs,
    };
  }
}
