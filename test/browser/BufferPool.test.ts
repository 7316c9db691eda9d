import { commands } from 'vitest/browser';
import type { BufferPool } from '../../src/core/BufferPool.js';
import type { MemorySnapshot } from '../../src/core/types.js';
import { readChunk } from '../../src/core/readChunk.js';
import { sha256 } from '../../src/core/sha256Digest.js';
import { MiB, randomBytes, usePools, within } from './poolHarness.js';

const makePool = usePools();

const hex = (bytes: ArrayBuffer | Uint8Array): string =>
  Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');

test('four concurrent readers share a two-buffer pool: bytes stay within the budget and buffers are reused', async () => {
  const partSize = MiB;
  const source = randomBytes(12 * partSize + 999);
  const file = new File([source], 'concurrent.bin');
  const seen: MemorySnapshot[] = [];
  const pool = makePool(partSize, 2, (p) => seen.push(p.stats()));
  const starts = Array.from({ length: Math.ceil(file.size / partSize) }, (_, i) => i * partSize);
  const digests = new Map<number, string>();

  const worker = async (): Promise<void> => {
    for (let start = starts.shift(); start !== undefined; start = starts.shift()) {
      const lease = await within(`lease for ${start}`, pool.lease());
      expect(lease.buffer.byteLength).toBe(partSize); // never a detached buffer
      try {
        const view = await within(`read at ${start}`, readChunk(file.slice(start, start + partSize), lease));
        digests.set(start, hex(await within(`digest at ${start}`, sha256(view))));
      } finally {
        lease.release();
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);

  for (const [start, digest] of digests) {
    const expected = await crypto.subtle.digest('SHA-256', source.slice(start, start + partSize));
    expect(digest, `chunk at ${start}`).toBe(hex(expected));
  }
  expect(digests.size).toBe(13);
  expect(Math.max(...seen.map((s) => s.inFlightBytes))).toBe(2 * partSize);
  expect(Math.max(...seen.map((s) => s.pooledBytes))).toBe(2 * partSize);
  expect(pool.stats()).toMatchObject({
    buffersCreated: 2,
    buffersReused: 11,
    buffersReleased: 13,
    buffersFreed: 0,
    peakInFlightBytes: 2 * partSize,
  });
});

test('destroy during a read: the read finishes into its buffer, and the release then frees it', async () => {
  const pool = makePool(4 * MiB, 1);
  const lease = await pool.lease();
  const source = randomBytes(4 * MiB);
  const reading = readChunk(new Blob([source]), lease);
  pool.destroy();
  const view = await reading;
  expect(hex(await sha256(view))).toBe(hex(await crypto.subtle.digest('SHA-256', source)));
  lease.release();
  expect(pool.stats()).toMatchObject({ leasedBuffers: 0, idleBuffers: 0, pooledBytes: 0, buffersFreed: 1 });
});

/** Creates a tus upload on the test server and returns its URL and id. */
async function createTusUpload(length: number): Promise<{ url: string; id: string }> {
  const response = await fetch('/files', {
    method: 'POST',
    headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': String(length) },
  });
  expect(response.status).toBe(201);
  const url = new URL(response.headers.get('Location') ?? '', location.href).href;
  return { url, id: url.slice(url.lastIndexOf('/') + 1) };
}

function patch(url: string, body: Uint8Array<ArrayBuffer>): { sent: Promise<number> } {
  const xhr = new XMLHttpRequest();
  const sent = new Promise<number>((resolve, reject) => {
    xhr.onload = () => resolve(xhr.status);
    xhr.onerror = () => reject(new Error('network error'));
  });
  xhr.open('PATCH', url);
  xhr.setRequestHeader('Tus-Resumable', '1.0.0');
  xhr.setRequestHeader('Upload-Offset', '0');
  xhr.setRequestHeader('Content-Type', 'application/offset+octet-stream');
  xhr.send(body);
  return { sent };
}

test('a body built from pooled bytes is copied by xhr.send(), so its lease may be released at once', async () => {
  const size = 3 * MiB;
  const source = randomBytes(size);
  const pool = makePool(4 * MiB, 2);
  const lease = await pool.lease();
  const buffer = lease.buffer;
  const view = await readChunk(new Blob([source]), lease);
  const { url, id } = await createTusUpload(size);

  const request = patch(url, view);
  lease.release();
  expect(pool.stats()).toMatchObject({ leasedBuffers: 0, inFlightBytes: 0 });

  // The next lease reuses the very buffer the request body was built from; scribble over it.
  const next = await pool.lease();
  expect(next.buffer).toBe(view.buffer);
  new Uint8Array(next.buffer).fill(0);
  expect(pool.stats().inFlightBytes).toBe(4 * MiB);
  next.release();

  expect(await request.sent).toBe(204);
  expect(pool.stats()).toMatchObject({ inFlightBytes: 0, buffersCreated: 1, buffersReused: 1 });
  expect(buffer.byteLength).toBe(0); // the BYOB read transferred the original
  const stored = await commands.storedSha256('/files', id);
  expect(stored).toBe(hex(await crypto.subtle.digest('SHA-256', source)));
});
