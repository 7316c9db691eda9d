/**
 * Reflected CRC-32 in plain TypeScript, slicing by 8 (eight 256-entry tables, 8 bytes per step):
 * the browser has no CRC API, and one table would cost a lookup and a shift per byte.
 * The tables are computed on first use (8 KiB each), so the bundle ships only this code.
 */

/** CRC-32 (ISO-HDLC, zlib, S3 `CRC32`): reflected polynomial 0x04C11DB7. */
export const CRC32_POLY = 0xedb88320;
/** CRC-32C (Castagnoli, iSCSI, S3 `CRC32C`): reflected polynomial 0x1EDC6F41. */
export const CRC32C_POLY = 0x82f63b78;

const tables = new Map<number, Uint32Array>();

/** Typed arrays use the platform's byte order; the word path below assumes little-endian. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The eight slicing tables of `poly`, row after row (also the WebAssembly CRC's). */
export function crcTable(poly: number): Uint32Array {
  let table = tables.get(poly);
  if (table) return table;
  table = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[n] = c;
  }
  // Row r maps a byte to its CRC after r further zero bytes, so 8 lookups advance 8 bytes at once.
  for (let n = 0; n < 256; n++) {
    for (let r = 1; r < 8; r++) {
      const previous = table[(r - 1) * 256 + n] as number;
      table[r * 256 + n] = (previous >>> 8) ^ (table[previous & 0xff] as number);
    }
  }
  tables.set(poly, table);
  return table;
}

/**
 * Continue a running CRC-32 over `bytes`. `crc` is the running value as this returns it (start with 0);
 * the result is the finished CRC of everything fed so far, so pieces of a part can be fed in turn.
 */
export function crc32Update(poly: number, crc: number, bytes: Uint8Array): number {
  const t = crcTable(poly);
  const length = bytes.length;
  let c = ~crc;
  let i = 0;
  // Bytes one at a time up to a 4-aligned offset (pooled buffers start there), then 8 at a time read as
  // two little-endian words (every browser's hardware; two loads instead of eight), then the rest.
  const lead = LITTLE_ENDIAN ? Math.min(length, (4 - (bytes.byteOffset % 4)) % 4) : length;
  for (; i < lead; i++) c = (c >>> 8) ^ t[(c ^ bytes[i]!) & 0xff]!;
  // Fewer bytes than it takes to reach alignment leave i unaligned: no words then (an Int32Array would throw).
  const words = (bytes.byteOffset + i) % 4 ? new Int32Array(0) : new Int32Array(bytes.buffer, bytes.byteOffset + i, ((length - i) >>> 3) << 1);
  for (let w = 0; w < words.length; w += 2) {
    const lo = c ^ words[w]!;
    const hi = words[w + 1]!;
    c =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + (hi & 0xff)]! ^
      t[512 + ((hi >>> 8) & 0xff)]! ^
      t[256 + ((hi >>> 16) & 0xff)]! ^
      t[hi >>> 24]!;
  }
  for (i += words.length * 4; i < length; i++) c = (c >>> 8) ^ t[(c ^ bytes[i]!) & 0xff]!;
  return ~c >>> 0;
}
