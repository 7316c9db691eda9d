import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestFigures {
  byMethod: Record<string, number>;
  patchBytes: { count: number; median: number; max: number; min: number };
  postBodyBytes: number;
  /** PATCH requests carrying an Upload-Checksum header (tus checksum extension). */
  checksummedPatches: number;
  maxConcurrent: number;
}

/** Counts what a client asked of the tus server: methods, PATCH sizes, requests open at once. */
export class RequestStats {
  private byMethod: Record<string, number> = {};
  private patchSizes: number[] = [];
  private postBodyBytes = 0;
  private checksummedPatches = 0;
  private open = 0;
  private maxConcurrent = 0;

  track(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
    const length = Number(req.headers['content-length'] ?? 0);
    if (method === 'PATCH') this.patchSizes.push(length);
    if (method === 'PATCH' && req.headers['upload-checksum']) this.checksummedPatches += 1;
    if (method === 'POST') this.postBodyBytes += length;
    this.open += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.open);
    res.once('close', () => {
      this.open -= 1;
    });
  }

  figures(): RequestFigures {
    const sizes = [...this.patchSizes].sort((a, b) => a - b);
    return {
      byMethod: { ...this.byMethod },
      patchBytes: {
        count: sizes.length,
        median: sizes.length ? (sizes[Math.floor(sizes.length / 2)] ?? 0) : 0,
        max: sizes.at(-1) ?? 0,
        min: sizes[0] ?? 0,
      },
      postBodyBytes: this.postBodyBytes,
      checksummedPatches: this.checksummedPatches,
      maxConcurrent: this.maxConcurrent,
    };
  }
}
