/**
 * A fast, deterministic byte stream (xorshift128) for test files. Not for anything secret: it only
 * has to be incompressible enough and reproducible, so a test can regenerate the same bytes in Node
 * from the seed and compare digests with the stored upload.
 */
export class PseudoRandomStream {
  private x: number;
  private y: number;
  private z: number;
  private w: number;

  constructor(seed: number) {
    // splitmix32 spreads a small seed over the whole state; an all-zero state would stay zero.
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
      t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
      return (t ^ (t >>> 16)) >>> 0;
    };
    this.x = next();
    this.y = next();
    this.z = next();
    this.w = next() | 1;
  }

  /** Fill `bytes` with the next bytes of the stream; its length must be a multiple of 4. */
  fill(bytes: Uint8Array): void {
    if (bytes.byteLength % 4 !== 0 || bytes.byteOffset % 4 !== 0) {
      throw new RangeError('PseudoRandomStream.fill needs a 4-byte aligned view whose length is a multiple of 4');
    }
    // Word writes are ~4x faster than byte writes; both Node and the browser run little-endian here,
    // and DataView would cost the speed back, so the byte order is that of the platform.
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    let { x, y, z, w } = this;
    for (let i = 0; i < words.length; i++) {
      const t = x ^ (x << 11);
      x = y;
      y = z;
      z = w;
      w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
      words[i] = w;
    }
    this.x = x;
    this.y = y;
    this.z = z;
    this.w = w;
  }
}
