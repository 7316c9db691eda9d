import type { BufferLease } from '../../src/core/BufferPool.js';
import { readChunk } from '../../src/core/readChunk.js';
import { isUploadError } from '../../src/core/UploadError.js';
import { MiB, randomBytes, usePools } from './poolHarness.js';

const makePool = usePools();

/** Counts adopt() calls: one per BYOB read, since every read transfers the buffer. */
function countingLease(lease: BufferLease, onAdopt: (buffer: ArrayBuffer) => void = () => {}) {
  const counter = {
    adopted: 0,
    lease: {
      get buffer() {
        return lease.buffer;
      },
      get released() {
        return lease.released;
      },
      adopt(buffer: ArrayBuffer) {
        counter.adopted++;
        lease.adopt(buffer);
        onAdopt(buffer);
      },
      release: () => lease.release(),
    } satisfies BufferLease,
  };
  return counter;
}

function firstDifference(actual: Uint8Array, expected: Uint8Array): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[i]) return i;
  return -1;
}

test('reads a 6 MiB Blob into the pooled buffer through BYOB reads, byte for byte', async () => {
  const source = randomBytes(6 * MiB);
  const pool = makePool(8 * MiB);
  const counter = countingLease(await pool.lease());
  const firstBuffer = counter.lease.buffer;

  const view = await readChunk(new Blob([source]), counter.lease);

  expect(view.byteLength).toBe(6 * MiB);
  expect(firstDifference(view, source)).toBe(-1);
  // How many reads the browser needs is its own business (one or many); at least one went through BYOB.
  expect(counter.adopted).toBeGreaterThanOrEqual(1);
  expect(firstBuffer.byteLength).toBe(0); // the first read transferred it
  expect(view.buffer).toBe(counter.lease.buffer);
  const adopted = counter.lease.buffer;
  counter.lease.release();

  const next = await pool.lease();
  expect(next.buffer).toBe(adopted);
  next.release();
  expect(pool.stats()).toMatchObject({ buffersCreated: 1, buffersReused: 1, buffersFreed: 0 });
});

test('ten chunks read one after another through a one-buffer pool create a single ArrayBuffer', async () => {
  const partSize = 2 * MiB;
  const source = randomBytes(10 * partSize - 12345);
  const file = new File([source], 'ten-chunks.bin');
  const pool = makePool(partSize);
  for (let start = 0; start < file.size; start += partSize) {
    const counter = countingLease(await pool.lease());
    const view = await readChunk(file.slice(start, start + partSize), counter.lease);
    expect(firstDifference(view, source.subarray(start, start + partSize))).toBe(-1);
    // The bytes sit in the lease's own (adopted) buffer: nothing was read into a buffer of the browser's.
    expect(view.buffer).toBe(counter.lease.buffer);
    expect(counter.adopted).toBeGreaterThanOrEqual(1);
    counter.lease.release();
  }
  expect(pool.stats()).toMatchObject({
    buffersCreated: 1,
    buffersReused: 9,
    buffersReleased: 10,
    buffersFreed: 0,
    peakInFlightBytes: partSize,
  });
});

/**
 * A byte stream whose reader ignores `read(view, { min })`, as an engine that predates `min` does:
 * each read then resolves with whatever one pull filled.
 */
function withoutMin(stream: ReadableStream<Uint8Array<ArrayBuffer>>): ReadableStream<Uint8Array<ArrayBuffer>> {
  const getReader = stream.getReader.bind(stream);
  stream.getReader = ((options?: { mode: 'byob' }) => {
    const reader = getReader(options as { mode: 'byob' });
    const read = reader.read.bind(reader);
    reader.read = (view) => read(view);
    return reader;
  }) as typeof stream.getReader;
  return stream;
}

/** A Blob whose byte stream fills at most `step` bytes per pull. */
class SmallReadsBlob extends Blob {
  constructor(
    parts: BlobPart[],
    private readonly step: number,
    private readonly honoursMin = false,
  ) {
    super(parts);
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const source = super.stream().getReader();
    let pending = new Uint8Array(0);
    const stream = new ReadableStream({
      type: 'bytes',
      pull: async (controller) => {
        if (pending.byteLength === 0) {
          const { done, value } = await source.read();
          if (done) return controller.close();
          pending = value;
        }
        const request = controller.byobRequest;
        if (!request?.view) throw new Error('expected a BYOB request');
        const n = Math.min(this.step, pending.byteLength, request.view.byteLength);
        new Uint8Array(request.view.buffer, request.view.byteOffset, n).set(pending.subarray(0, n));
        pending = pending.subarray(n);
        request.respond(n);
      },
    });
    return this.honoursMin ? stream : withoutMin(stream);
  }
}

test('partial BYOB fills (an engine without read min) are looped until the chunk is whole, adopting each returned buffer', async () => {
  const step = 100 * 1024;
  const source = randomBytes(MiB + 17);
  const pool = makePool(2 * MiB);
  const counter = countingLease(await pool.lease());

  try {
    const view = await readChunk(new SmallReadsBlob([source], step), counter.lease);
    expect(firstDifference(view, source)).toBe(-1);
    // At least one fill per `step` bytes: the loop ran. More when the Blob's own stream hands the
    // adapter pieces that are not multiples of `step` (their size is the browser's to choose).
    expect(counter.adopted).toBeGreaterThanOrEqual(Math.ceil(source.byteLength / step));
    expect(view.buffer).toBe(counter.lease.buffer);
  } finally {
    counter.lease.release();
  }
  expect(pool.stats()).toMatchObject({ buffersCreated: 1, buffersFreed: 0 });
});

test('asks for a MiB per read (read min), not what one pull gives: one read per MiB, progress every MiB', async () => {
  const step = 100 * 1024;
  const source = randomBytes(3 * MiB + 17);
  const pool = makePool(4 * MiB);
  const counter = countingLease(await pool.lease());
  let progressEvents = 0;
  try {
    const watch = { onProgress: () => void progressEvents++, giveUp: new AbortController().signal };
    const view = await readChunk(new SmallReadsBlob([source], step, true), counter.lease, undefined, watch);
    expect(firstDifference(view, source)).toBe(-1);
    // A read settles once a MiB is in: after the pull that crosses it. Without `min` every 100 KiB
    // pull would be a read of its own (31 here); with no cap, one read of the whole chunk.
    const perRead = Math.ceil(MiB / step) * step;
    expect(counter.adopted).toBe(Math.ceil(source.byteLength / perRead));
    expect(progressEvents).toBe(counter.adopted);
  } finally {
    counter.lease.release();
  }
});

/** A Blob whose stream is a default (not byte) stream, as in engines without BYOB support for Blobs. */
class DefaultStreamBlob extends Blob {
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return new ReadableStream<Uint8Array<ArrayBuffer>>({
      pull: (controller) => controller.error(new Error('the fallback must not read the stream')),
    });
  }
}

test('falls back to copying from arrayBuffer() when the stream has no BYOB reader', async () => {
  const source = randomBytes(3 * MiB + 7);
  const pool = makePool(4 * MiB);
  const counter = countingLease(await pool.lease());
  const buffer = counter.lease.buffer;

  const view = await readChunk(new DefaultStreamBlob([source]), counter.lease);

  expect(firstDifference(view, source)).toBe(-1);
  expect(counter.adopted).toBe(0);
  expect(view.buffer).toBe(buffer);
  counter.lease.release();
});

test('an empty Blob gives an empty view without reading', async () => {
  const pool = makePool(MiB);
  const counter = countingLease(await pool.lease());
  const view = await readChunk(new Blob([]), counter.lease);
  expect(view.byteLength).toBe(0);
  expect(counter.adopted).toBe(0);
  counter.lease.release();
});

test('an abort during a read stops after the read under way and gives the whole buffer back', async () => {
  const pool = makePool(4 * MiB);
  const controller = new AbortController();
  const counter = countingLease(await pool.lease(), () => controller.abort());

  const error: unknown = await readChunk(new Blob([randomBytes(4 * MiB)]), counter.lease, controller.signal).catch(
    (reason: unknown) => reason,
  );

  expect(isUploadError(error) && error.code).toBe('aborted');
  expect(counter.adopted).toBe(1);
  expect(counter.lease.buffer.byteLength).toBe(4 * MiB);
  counter.lease.release();
  expect(pool.stats()).toMatchObject({ buffersReleased: 1, idleBuffers: 1, buffersFreed: 0 });

  const lease = await pool.lease();
  const early = await readChunk(new Blob([new Uint8Array(10)]), lease, AbortSignal.abort()).catch((r: unknown) => r);
  expect(isUploadError(early) && early.code).toBe('aborted');
  lease.release();
});

test('a chunk larger than the buffer is refused', async () => {
  const pool = makePool(MiB);
  const lease = await pool.lease();
  await expect(readChunk(new Blob([new Uint8Array(MiB + 1)]), lease)).rejects.toThrow(RangeError);
  lease.release();
});

async function opfsFile(name: string, bytes: Uint8Array<ArrayBuffer>) {
  const root = await navigator.storage.getDirectory();
  const handle = await root.getFileHandle(name, { create: true });
  const writable = await handle.createWritable();
  await writable.write(bytes);
  await writable.close();
  return { root, handle, file: await handle.getFile() };
}

test('a file changed on disk after it was chosen fails with file-changed, and its lost buffer is freed', async () => {
  const source = randomBytes(2 * MiB);
  const { root, handle, file } = await opfsFile('read-chunk-changed.bin', source);
  const pool = makePool(2 * MiB);
  try {
    const lease = await pool.lease();
    const before = await readChunk(file, lease);
    expect(firstDifference(before, source)).toBe(-1);

    const writable = await handle.createWritable();
    await writable.write(randomBytes(1000));
    await writable.close();
    const error: unknown = await readChunk(file, lease).catch((reason: unknown) => reason);
    expect(isUploadError(error) && error.code).toBe('file-changed');
    // The failed read kept the transferred buffer; the pool must drop it, not hand it out detached.
    lease.release();
    expect(pool.stats()).toMatchObject({ buffersFreed: 1, idleBuffers: 0 });
  } finally {
    await root.removeEntry('read-chunk-changed.bin');
  }
});

test('a file removed on disk fails with file-changed', async () => {
  const { root, file } = await opfsFile('read-chunk-removed.bin', randomBytes(MiB));
  await root.removeEntry('read-chunk-removed.bin');
  const pool = makePool(MiB);
  const lease = await pool.lease();
  const error: unknown = await readChunk(file, lease).catch((reason: unknown) => reason);
  expect(isUploadError(error) && error.code).toBe('file-changed');
  lease.release();
});

/** A Blob whose byte stream fills 64 KiB once and then never answers again, as a lost blob read would (its reader without min, so the first fill comes back). */
class HangingStreamBlob extends Blob {
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    let pulls = 0;
    const stream = new ReadableStream({
      type: 'bytes',
      pull: (controller) => {
        if (pulls++ > 0) return new Promise<void>(() => {});
        const request = controller.byobRequest;
        if (!request?.view) throw new Error('expected a BYOB request');
        new Uint8Array(request.view.buffer, request.view.byteOffset, 65536).fill(7);
        request.respond(65536);
        return undefined;
      },
    });
    return withoutMin(stream);
  }
}

test('a BYOB read that never answers is abandoned at once when giveUp aborts, and its lost buffer is freed', async () => {
  const pool = makePool(MiB);
  const counter = countingLease(await pool.lease());
  const giveUp = new AbortController();
  let progress = 0;
  const stuck = new Error('stuck');

  const reading = readChunk(new HangingStreamBlob([randomBytes(MiB)]), counter.lease, undefined, {
    onProgress: () => {
      progress++;
      // The first fill came back; the next read hangs: give up on it.
      queueMicrotask(() => giveUp.abort(stuck));
    },
    giveUp: giveUp.signal,
  });

  await expect(reading).rejects.toBe(stuck);
  expect(progress).toBe(1);
  expect(counter.adopted).toBe(1);
  // The hung read took the buffer with it: release frees the slot instead of pooling a detached buffer.
  counter.lease.release();
  expect(pool.stats()).toMatchObject({ leasedBuffers: 0, idleBuffers: 0, buffersFreed: 1 });
}, 20_000); // without the give-up the read hangs: fail in 20 s, not the project's 120 s

describe('onRead: a blob of any size read through the buffer, a window of its length at a time', () => {
  /** Joins what onRead saw, copying each piece (the window is overwritten by the next reads). */
  function collector(): { seen: Uint8Array[]; onRead(bytes: Uint8Array): void; joined(): Uint8Array } {
    const seen: Uint8Array[] = [];
    return {
      seen,
      onRead: (bytes) => void seen.push(bytes.slice()),
      joined: () => {
        const out = new Uint8Array(seen.reduce((sum, piece) => sum + piece.length, 0));
        let at = 0;
        for (const piece of seen) {
          out.set(piece, at);
          at += piece.length;
        }
        return out;
      },
    };
  }

  test('every byte is handed over once, in order, through one 1 MiB buffer (BYOB, small reads)', async () => {
    const source = randomBytes(3 * MiB + 517);
    const pool = makePool(MiB);
    const counter = countingLease(await pool.lease());
    const seen = collector();
    let progress = 0;
    await readChunk(new SmallReadsBlob([source], 100 * 1024), counter.lease, undefined, { onProgress: (bytes) => (progress += bytes), giveUp: new AbortController().signal }, seen.onRead);
    expect(firstDifference(seen.joined(), source)).toBe(-1);
    // Each piece lies within the window: none crosses the buffer's end.
    for (const piece of seen.seen) expect(piece.length).toBeLessThanOrEqual(MiB);
    expect(progress).toBe(source.length);
    counter.lease.release();
    expect(pool.stats()).toMatchObject({ buffersCreated: 1, buffersFreed: 0 });
  });

  test('the copying path (no BYOB) hands over window after window too', async () => {
    const source = randomBytes(2 * MiB + 3);
    const pool = makePool(MiB);
    const counter = countingLease(await pool.lease());
    const seen = collector();
    await readChunk(new DefaultStreamBlob([source]), counter.lease, undefined, undefined, seen.onRead);
    expect(firstDifference(seen.joined(), source)).toBe(-1);
    expect(seen.seen.map((piece) => piece.length)).toEqual([MiB, MiB, 3]);
    counter.lease.release();
  });

  test('without onRead, a blob larger than the buffer is still refused', async () => {
    const pool = makePool(MiB);
    const lease = await pool.lease();
    await expect(readChunk(new Blob([randomBytes(MiB + 1)]), lease)).rejects.toThrow(RangeError);
    lease.release();
  });
});
