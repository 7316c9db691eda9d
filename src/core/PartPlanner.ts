import type { ByteRange } from './ports.js';

/** A part to send: a byte range, and whether it ends the file. */
export interface PlannedPart extends ByteRange {
  last: boolean;
}

/**
 * Hands out the ranges the server does not hold yet, lowest offset first, in parts of the size
 * asked for at the moment of taking (so adaptive sizing applies to the very next part).
 */
export class PartPlanner {
  readonly #size: number;
  #missing: ByteRange[];
  /** An empty file still needs one (empty) part: it is how the server learns the upload is done. */
  #emptyPending: boolean;

  constructor(uploaded: readonly ByteRange[], size: number) {
    this.#size = size;
    this.#missing = complement(uploaded, size);
    this.#emptyPending = size === 0;
  }

  take(partSize: number): PlannedPart | null {
    if (this.#emptyPending) {
      this.#emptyPending = false;
      return { start: 0, end: 0, last: true };
    }
    const first = this.#missing[0];
    if (!first) return null;
    const end = Math.min(first.end, first.start + Math.max(1, Math.floor(partSize)));
    // What is left of the first range; mergeRanges() drops it once it is empty.
    this.#missing[0] = { start: end, end: first.end };
    this.#missing = mergeRanges(this.#missing);
    return { start: first.start, end, last: end === this.#size };
  }

  /** Give a range back (the server accepted fewer bytes, or a prepared part was set aside). */
  requeue(range: ByteRange): void {
    this.#missing = mergeRanges([...this.#missing, range]);
  }

  /** True when a range below `offset` waits: ordered protocols must send it first. */
  hasBefore(offset: number): boolean {
    return (this.#missing[0]?.start ?? offset) < offset;
  }
}

/** Sort and join touching or overlapping ranges, dropping empty ones. */
export function mergeRanges(ranges: readonly ByteRange[]): ByteRange[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const result: ByteRange[] = [];
  for (const range of sorted) {
    const last = result[result.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else result.push({ start: range.start, end: range.end });
  }
  return result;
}

/** The ranges of [0, size) not covered by `uploaded`. */
export function complement(uploaded: readonly ByteRange[], size: number): ByteRange[] {
  const result: ByteRange[] = [];
  let offset = 0;
  for (const range of mergeRanges(uploaded)) {
    const start = Math.min(range.start, size);
    if (start > offset) result.push({ start: offset, end: start });
    offset = Math.max(offset, Math.min(range.end, size));
  }
  if (offset < size) result.push({ start: offset, end: size });
  return result;
}

export function totalLength(ranges: readonly ByteRange[]): number {
  return ranges.reduce((sum, r) => sum + (r.end - r.start), 0);
}
