import type { Readable } from 'node:stream';

export interface BodyFaults {
  stall: { afterBytes: number; ms: number } | undefined;
  corrupt: boolean;
  /** Pass on `afterBytes` of the body, then call `drop` (hang up) and end it there: a proxy that cuts. */
  cut?: { afterBytes: number; drop: () => void } | undefined;
  stop: AbortSignal;
}

/** The body as it arrives, with the injected faults applied (see TusFaults). */
export async function* faultyBody(source: Readable, { stall, corrupt, cut, stop }: BodyFaults): AsyncGenerator<Buffer> {
  let seen = 0;
  let passed = 0;
  let stalled = false;
  let corrupted = false;
  for await (const chunk of source) {
    let bytes = chunk as Buffer;
    if (corrupt && !corrupted && bytes.length > 0) {
      bytes = Buffer.from(bytes);
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      corrupted = true;
    }
    if (stall && !stalled && seen + bytes.length > stall.afterBytes) {
      const before = Math.max(0, stall.afterBytes - seen);
      if (before > 0) yield bytes.subarray(0, before);
      stalled = true;
      await sleep(stall.ms, stop);
      bytes = bytes.subarray(before);
    }
    seen += bytes.length;
    if (cut && passed + bytes.length > cut.afterBytes) {
      const before = cut.afterBytes - passed;
      if (before > 0) yield bytes.subarray(0, before);
      cut.drop();
      return;
    }
    passed += bytes.length;
    if (bytes.length > 0) yield bytes;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
