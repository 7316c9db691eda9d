import { CRC32_POLY, CRC32C_POLY, crcTable } from './crc32.js';

/**
 * CRC-32 and CRC-32C in a few hundred bytes of WebAssembly, assembled here (no binary blob to trust,
 * no build step): three interleaved streams of slicing-by-8 and a table that joins them. One stream's
 * lookups wait on each other; three independent ones keep the CPU's load ports busy. Measured in V8
 * on this project's 2-core machine: 0.26 s per GiB, copy into the module's memory included, against
 * 0.53-0.86 s for crc32.ts's JavaScript (used where WebAssembly is missing or a CSP forbids it).
 */

/** Bytes per stream in a block of three (a multiple of 8). */
const STREAM = 4096;
/** Memory layout: slicing tables (8 KiB), the zero-advance tables (4 KiB), then the bytes to hash. */
const ZEROS_AT = 8192;
const DATA_AT = 12288;
/** Bytes copied in and hashed per call: the module's memory is 2 pages. */
const PIECE = 65536;

type Op = number[];
const leb = (n: number): Op => {
  const out: Op = [];
  do {
    const low = n & 0x7f;
    n >>>= 7;
    out.push(n ? low | 0x80 : low);
  } while (n);
  return out;
};
const sleb = (n: number): Op => {
  const out: Op = [];
  for (;;) {
    const low = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(low & 0x40)) || (n === -1 && low & 0x40)) return [...out, low];
    out.push(low | 0x80);
  }
};
const get = (local: number): Op => [0x20, local];
const set = (local: number): Op => [0x21, local];
const i32 = (value: number): Op => [0x41, ...sleb(value)];
const load = (offset: number): Op => [0x28, 2, ...leb(offset)];
const [AND, XOR, SHL, SHR_U, ADD, SUB, GE_U, LT_U] = [0x71, 0x73, 0x74, 0x76, 0x6a, 0x6b, 0x4f, 0x49];
/** A loop that leaves when `exit` (an i32 condition) holds: block { loop { br_if 1 exit; body; br 0 } }. */
const loop = (exit: Op, body: Op): Op => [0x02, 0x40, 0x03, 0x40, ...exit, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b];
/** Byte `shift / 8` of `local`, times 4: an offset into a 256-entry u32 table. */
const index = (local: number, shift: number): Op => [...get(local), ...(shift ? [...i32(shift - 2), SHR_U] : [...i32(2), SHL]), ...i32(1020), AND];
/** Eight lookups, one per byte of two words: `local` (already xored with the state) and `high`. */
const eight = (low: number, high: number): Op => [
  ...index(low, 0), ...load(7168),
  ...[8, 16, 24].flatMap((shift, k) => [...index(low, shift), ...load(6144 - 1024 * k), XOR]),
  ...[0, 8, 16, 24].flatMap((shift, k) => [...index(high, shift), ...load(3072 - 1024 * k), XOR]),
];

// Locals: 0 crc, 1 at, 2 n (parameters); 3 end, 4 low, 5 high, 6 block end, 7-9 the streams.
const [C, AT, N, END, LOW, HIGH, BLOCK] = [0, 1, 2, 3, 4, 5, 6];
const STREAMS = [7, 8, 9];
const step = (state: number, offset: number): Op => [
  ...get(state), ...get(AT), ...load(offset), XOR, ...set(LOW),
  ...get(AT), ...load(offset + 4), ...set(HIGH),
  ...eight(LOW, HIGH), ...set(state),
];
/** state = state advanced over STREAM zero bytes (four lookups in the zero-advance tables). */
const advance = (state: number): Op => [
  ...index(state, 0), ...load(ZEROS_AT),
  ...[8, 16, 24].flatMap((shift, k) => [...index(state, shift), ...load(ZEROS_AT + 1024 * (k + 1)), XOR]),
  ...set(state),
];
const [A, B, D] = STREAMS as [number, number, number];
const body: Op = [
  ...get(C), ...i32(-1), XOR, ...set(C),
  ...get(AT), ...get(N), ADD, ...set(END),
  // Blocks of three streams: a starts from the running CRC, b and d from zero; then a ← adv(adv(a) ^ b) ^ d.
  ...loop([...get(END), ...get(AT), SUB, ...i32(3 * STREAM), LT_U], [
    ...get(C), ...set(A), ...i32(0), ...set(B), ...i32(0), ...set(D),
    ...get(AT), ...i32(STREAM), ADD, ...set(BLOCK),
    ...loop([...get(AT), ...get(BLOCK), GE_U], [...step(A, 0), ...step(B, STREAM), ...step(D, 2 * STREAM), ...get(AT), ...i32(8), ADD, ...set(AT)]),
    ...advance(A), ...get(A), ...get(B), XOR, ...set(A), ...advance(A), ...get(A), ...get(D), XOR, ...set(C),
    ...get(AT), ...i32(2 * STREAM), ADD, ...set(AT),
  ]),
  ...loop([...get(END), ...get(AT), SUB, ...i32(8), LT_U], [...step(C, 0), ...get(AT), ...i32(8), ADD, ...set(AT)]),
  ...loop([...get(AT), ...get(END), GE_U], [
    ...get(C), ...i32(8), SHR_U,
    ...get(C), ...get(AT), 0x2d, 0, 0, XOR, ...i32(255), AND, ...i32(2), SHL, ...load(0), XOR, ...set(C),
    ...get(AT), ...i32(1), ADD, ...set(AT),
  ]),
  ...get(C), ...i32(-1), XOR, 0x0b,
];
const code: Op = [1, 7, 0x7f, ...body];
const section = (id: number, bytes: Op): Op => [id, ...leb(bytes.length), ...bytes];
const name = (text: string): Op => [text.length, ...[...text].map((char) => char.charCodeAt(0))];
const MODULE = new Uint8Array([
  0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  ...section(1, [1, 0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7f]), // type: (i32 crc, i32 at, i32 n) -> i32
  ...section(2, [1, ...name('m'), ...name('m'), 2, 0, 2]), // import memory m.m, 2 pages
  ...section(3, [1, 0]),
  ...section(7, [1, ...name('crc'), 0, 0]),
  ...section(10, [1, ...leb(code.length), ...code]),
]);

/** Continue a CRC-32 or CRC-32C (`crc` as the last call returned it; 0 to start) over `bytes`. */
export type CrcWasm = (algorithm: 'crc32' | 'crc32c', crc: number, bytes: Uint8Array) => number;

/** The WebAssembly CRC, or null where WebAssembly is missing or refused (a CSP without 'wasm-unsafe-eval'). */
export function crcWasm(): CrcWasm | null {
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(MODULE);
  } catch {
    return null;
  }
  const instances = new Map<string, { run: (crc: number, at: number, n: number) => number; heap: Uint8Array }>();
  const instance = (algorithm: 'crc32' | 'crc32c') => {
    let made = instances.get(algorithm);
    if (made) return made;
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 2 });
    const exports = new WebAssembly.Instance(module, { m: { m: memory } }).exports as { crc: (crc: number, at: number, n: number) => number };
    const heap = new Uint8Array(memory.buffer);
    const table = crcTable(algorithm === 'crc32' ? CRC32_POLY : CRC32C_POLY);
    new Uint32Array(memory.buffer, 0, 2048).set(table);
    new Uint32Array(memory.buffer, ZEROS_AT, 1024).set(zeroAdvance(table, STREAM));
    made = { run: exports.crc, heap };
    instances.set(algorithm, made);
    return made;
  };
  return (algorithm, crc, bytes) => {
    const { run, heap } = instance(algorithm);
    for (let start = 0; start < bytes.length; start += PIECE) {
      const piece = bytes.subarray(start, start + PIECE);
      heap.set(piece, DATA_AT);
      crc = run(crc, DATA_AT, piece.length) >>> 0;
    }
    return crc >>> 0;
  };
}

/**
 * The map "advance a CRC register over `length` zero bytes" is linear, so it is four 256-entry tables,
 * one per byte of the register, built from the images of its 32 bits.
 */
function zeroAdvance(table: Uint32Array, length: number): Uint32Array {
  const bits = new Uint32Array(32);
  for (let bit = 0; bit < 32; bit++) {
    let c = (1 << bit) >>> 0;
    for (let i = 0; i < length; i++) c = (c >>> 8) ^ (table[c & 0xff] as number);
    bits[bit] = c;
  }
  const out = new Uint32Array(1024);
  for (let v = 1; v < 1024; v++) {
    const bit = 31 - Math.clz32(v & 0xff);
    const byte = v >>> 8;
    // Each entry is the previous one with its highest bit's image added (the low entries come first).
    out[v] = v & 0xff ? (out[v ^ (1 << bit)] as number) ^ (bits[byte * 8 + bit] as number) : 0;
  }
  return out;
}
