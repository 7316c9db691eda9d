const MiB = 1024 * 1024;

/** S3's limits on multipart uploads. */
export const S3_LIMITS = {
  minPartSize: 5 * MiB,
  maxPartSize: 5 * 1024 * MiB,
  maxParts: 10_000,
  /** Largest object a single PutObject may store. */
  maxPutSize: 5 * 1024 * MiB,
} as const;

/**
 * The part size of an upload, from the file size alone (plus the caller's preference), so a later
 * page load that resumes the upload finds the same grid: part n always covers
 * [(n - 1) * size, n * size). At least S3's 5 MiB, at least the preference, and large enough that
 * the file fits in 10,000 parts (rounded up to whole MiB).
 */
export function partSizeFor(fileSize: number, preferred: number): number {
  const needed = Math.ceil(fileSize / S3_LIMITS.maxParts / MiB) * MiB;
  return Math.max(S3_LIMITS.minPartSize, Math.floor(preferred), needed);
}

/** Part number (1-based) of the part starting at `start`, or null when `start` is off the grid. */
export function partNumberAt(start: number, partSize: number): number | null {
  return start % partSize === 0 ? start / partSize + 1 : null;
}

/** The byte range of part `partNumber` of a file of `fileSize` bytes. */
export function partRange(partNumber: number, partSize: number, fileSize: number): { start: number; end: number } {
  const start = (partNumber - 1) * partSize;
  return { start, end: Math.min(fileSize, start + partSize) };
}
