/** Messages between the page and writeTestFile.worker.ts (a module of its own, so importing them runs no worker code). */
export interface WriteRequest {
  folder: string;
  name: string;
  size: number;
  seed: number;
  blockSize: number;
}

/** Sent to the worker to stop between two blocks; it then closes and deletes the partial file. */
export const STOP = 'stop';

export type WriteMessage =
  | { type: 'progress'; written: number }
  | { type: 'done' }
  | { type: 'stopped' }
  | { type: 'error'; message: string };
