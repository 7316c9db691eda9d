import type { IncomingMessage, ServerResponse } from 'node:http';

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
}

/** Counts what a client asked of the tus server: methods, PATCH sizes, requests open at once. */
export class RequestStats {
  private byMethod: Record<string, number> = {};
  private bodySizes: number[] = [];
  private postBodyBytes = 0;
  private bodyRequests = 0;
  private checksummedBodies = 0;
  private open = 0;
  private maxConcurrent = 0;

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
    this.open += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.open);
    res.once('close', () => {
      this.open -= 1;
    });
  }

  figures(): RequestFigures {
    const sizes = [...this.bodySizes].sort((a, b) => a - b);
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
    };
  }
}
