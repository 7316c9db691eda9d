import { toBase64 } from '../../src/core/base64.js';
import { sha256 } from '../../src/core/sha256.js';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

/** FIPS 180-4 SHA-256 in plain JS: an independent reference for the SubtleCrypto-based sha256(). */
function referenceSha256(message: Uint8Array): Uint8Array {
  const k = new Uint32Array(64);
  const isPrime = (n: number): boolean => {
    for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
    return true;
  };
  const frac = (x: number): number => ((x - Math.floor(x)) * 2 ** 32) >>> 0;
  const h = new Uint32Array(8);
  for (let n = 2, found = 0; found < 64; n++) {
    if (!isPrime(n)) continue;
    if (found < 8) h[found] = frac(Math.sqrt(n));
    k[found++] = frac(Math.cbrt(n));
  }
  const padded = new Uint8Array((((message.length + 9 + 63) >> 6) << 6));
  padded.set(message);
  padded[message.length] = 0x80;
  new DataView(padded.buffer).setUint32(padded.length - 4, message.length * 8);
  new DataView(padded.buffer).setUint32(padded.length - 8, Math.floor((message.length * 8) / 2 ** 32));
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));
  const view = new DataView(padded.buffer);
  for (let block = 0; block < padded.length; block += 64) {
    for (let t = 0; t < 64; t++) {
      if (t < 16) {
        w[t] = view.getUint32(block + t * 4);
        continue;
      }
      const a = w[t - 15] ?? 0;
      const b = w[t - 2] ?? 0;
      const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
      const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
      w[t] = (w[t - 16] ?? 0) + s0 + (w[t - 7] ?? 0) + s1;
    }
    const v = Array.from(h);
    for (let t = 0; t < 64; t++) {
      const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, hh = 0] = v;
      const t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + (k[t] ?? 0) + (w[t] ?? 0);
      const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      v.splice(0, 8, (t1 + t2) >>> 0, a, b, c, (d + t1) >>> 0, e, f, g);
    }
    for (let i = 0; i < 8; i++) h[i] = ((h[i] ?? 0) + (v[i] ?? 0)) >>> 0;
  }
  const digest = new Uint8Array(32);
  h.forEach((word, i) => new DataView(digest.buffer).setUint32(i * 4, word));
  return digest;
}

function randomFill(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  // getRandomValues fills at most 64 KiB per call.
  for (let start = 0; start < bytes.length; start += 65536) crypto.getRandomValues(bytes.subarray(start, start + 65536));
  return bytes;
}

const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

test('matches the FIPS 180-2 vector for "abc", and so does the reference', async () => {
  const abc = new TextEncoder().encode('abc');
  expect(hex(await sha256(abc))).toBe(ABC);
  expect(hex(referenceSha256(abc))).toBe(ABC);
  expect(hex(await sha256(new Uint8Array(0)))).toBe(
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
});

test('hashes only the bytes of the view, not the rest of its buffer', async () => {
  const pooled = new ArrayBuffer(1 << 20);
  randomFill(new Uint8Array(pooled));
  const view = new Uint8Array(pooled, 12_345, 100_001);
  const digest = await sha256(view);
  expect(hex(digest)).toBe(hex(referenceSha256(view.slice())));
  expect(digest.byteLength).toBe(32);
});

test('toBase64 gives padded standard base64, also for inputs larger than one conversion batch', async () => {
  const digest = await sha256(new TextEncoder().encode('abc'));
  expect(toBase64(digest)).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
  expect(toBase64(new Uint8Array([0xff, 0xfe]))).toBe('//4=');

  const large = randomFill(new Uint8Array(100_003));
  const dataUrl = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(new Blob([large]));
  });
  expect(toBase64(large)).toBe(dataUrl.slice(dataUrl.indexOf(',') + 1));
});
