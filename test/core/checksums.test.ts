import { Crc32c, Crc64Nvme } from '@aws-sdk/checksums/crc';
import zlib from 'node:zlib';
import { crcBytes, type CrcAlgorithm } from '../../src/core/checksums/checksum.js';
import { crcUpdate } from '../../src/core/checksums/crcUpdate.js';
import { crcWasm } from '../../src/core/checksums/crcWasm.js';

const CHECK = new TextEncoder().encode('123456789');

/** Bytes no table bug can pass by accident: every byte value, at every alignment. */
function pseudoRandom(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

const hex = (algorithm: CrcAlgorithm, bytes: Uint8Array): string => Buffer.from(crcBytes(algorithm, crcUpdate(algorithm, [], bytes))).toString('hex');

describe('CRC check values ("123456789", the catalogue of parametrised CRCs)', () => {
  it.each([
    ['crc32', 'cbf43926'],
    ['crc32c', 'e3069283'],
    ['crc64nvme', 'ae8b14860a799888'],
  ] as const)('%s = %s', (algorithm, expected) => {
    expect(hex(algorithm, CHECK)).toBe(expected);
  });

  it.each(['crc32', 'crc32c', 'crc64nvme'] as const)('%s of nothing is 0', (algorithm) => {
    expect(hex(algorithm, new Uint8Array(0))).toMatch(/^0+$/);
  });
});

describe('CRC32 against Node zlib.crc32', () => {
  it.each([1, 7, 8, 9, 63, 4096 + 3, 1_000_003])('%i bytes', (length) => {
    const bytes = pseudoRandom(length, length);
    expect(crcUpdate('crc32', [], bytes)[0]).toBe(zlib.crc32(bytes));
  });

  it('a view that starts at an odd offset of its buffer', () => {
    const bytes = pseudoRandom(10_001).subarray(3, 9_998);
    expect(crcUpdate('crc32', [], bytes)[0]).toBe(zlib.crc32(bytes));
  });
});

describe('S3 test vectors (base64 of the big-endian CRC)', () => {
  // From the AWS SDKs' checksum tests: "Hello world".
  it.each([
    ['crc32', 'i9aeUg=='],
    ['crc32c', 'crUfeA=='],
    ['crc64nvme', 'OOJZ0D8xKts='],
  ] as const)('%s of "Hello world" = %s', (algorithm, expected) => {
    const bytes = new TextEncoder().encode('Hello world');
    expect(Buffer.from(crcBytes(algorithm, crcUpdate(algorithm, [], bytes))).toString('base64')).toBe(expected);
  });
});

describe('a CRC continues across pieces (a part read in buffer-sized turns)', () => {
  it.each(['crc32', 'crc32c', 'crc64nvme'] as const)('%s', (algorithm) => {
    const bytes = pseudoRandom(300_007, 5);
    let state = crcUpdate(algorithm, [], new Uint8Array(0));
    for (let start = 0; start < bytes.length; start += 65_537) state = crcUpdate(algorithm, state, bytes.subarray(start, start + 65_537));
    expect(crcBytes(algorithm, state)).toEqual(crcBytes(algorithm, crcUpdate(algorithm, [], bytes)));
    // and differs from the CRC of other bytes, so the comparison above can fail
    const other = bytes.slice();
    other[150_000]! ^= 1;
    expect(crcBytes(algorithm, crcUpdate(algorithm, [], other))).not.toEqual(crcBytes(algorithm, state));
  });
});

describe('CRC32C and CRC64NVME against a bitwise reference', () => {
  // One bit at a time, straight from the definition: shares no table with the code under test.
  function reference(bytes: Uint8Array, poly: bigint, width: bigint): bigint {
    const mask = (1n << width) - 1n;
    let crc = mask;
    for (const byte of bytes) {
      crc ^= BigInt(byte);
      for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
    }
    return crc ^ mask;
  }
  const bytes = pseudoRandom(4099, 9);
  it('crc32c', () => {
    expect(BigInt(crcUpdate('crc32c', [], bytes)[0]!)).toBe(reference(bytes, 0x82f63b78n, 32n));
  });
  it('crc64nvme', () => {
    const [lo, hi] = crcUpdate('crc64nvme', [], bytes);
    expect((BigInt(hi!) << 32n) | BigInt(lo!)).toBe(reference(bytes, 0x9a6c9329ac4bc9b5n, 64n));
  });
});

describe("against the AWS SDK's own CRC32C and CRC64NVME (what S3's clients compute)", () => {
  it.each([
    ['crc32c', () => new Crc32c()],
    ['crc64nvme', () => new Crc64Nvme()],
  ] as const)('%s over 3 MiB + 5 bytes', async (algorithm, make) => {
    const bytes = pseudoRandom(3 * 1024 * 1024 + 5, 21);
    const sdk = make();
    sdk.update(bytes);
    expect(Buffer.from(crcBytes(algorithm, crcUpdate(algorithm, [], bytes)))).toEqual(Buffer.from(await sdk.digest()));
  });
});

describe('a view shorter than its way to a 4-byte boundary (unaligned, 1-3 bytes)', () => {
  it.each(['crc32', 'crc32c', 'crc64nvme'] as const)('%s', (algorithm) => {
    const bytes = pseudoRandom(16, 2);
    for (const [start, end] of [[1, 3], [1, 2], [2, 3], [3, 3]] as const) {
      const view = bytes.subarray(start, end);
      expect(crcUpdate(algorithm, [], view)).toEqual(crcUpdate(algorithm, [], view.slice()));
    }
  });
});

describe('the WebAssembly CRC-32 and CRC-32C (three interleaved streams) agree with zlib and the JavaScript CRC', () => {
  const wasm = crcWasm();
  it('assembles and runs in this engine', () => {
    expect(wasm).not.toBeNull();
  });
  // Around every boundary: the 8-byte steps, a block of 3 x 4096, the 64 KiB pieces copied in.
  const lengths = [0, 1, 7, 8, 9, 12_287, 12_288, 12_289, 24_581, 65_535, 65_536, 65_537, 200_003, 1_048_576 + 13];
  it.each(lengths)('crc32 of %i bytes at an odd offset', (length) => {
    const bytes = pseudoRandom(length + 3, length).subarray(3);
    expect(wasm?.('crc32', 0, bytes)).toBe(zlib.crc32(bytes));
  });
  it.each(lengths)('crc32c of %i bytes', (length) => {
    const bytes = pseudoRandom(length, length + 1);
    expect(wasm?.('crc32c', 0, bytes)).toBe(crcUpdate('crc32c', [], bytes)[0]);
  });
  it('continues across pieces of any length, as reads land', () => {
    const bytes = pseudoRandom(300_007, 5);
    let crc = 0;
    for (let start = 0, step = 1; start < bytes.length; start += step, step = step * 3 + 1) crc = wasm?.('crc32', crc, bytes.subarray(start, start + step)) ?? -1;
    expect(crc).toBe(zlib.crc32(bytes));
    const other = bytes.slice();
    other[299_000]! ^= 0x80;
    expect(wasm?.('crc32', 0, other)).not.toBe(crc);
  });
});
