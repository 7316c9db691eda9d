import { TokenBucket, maxBytesInWindow } from './TokenBucket.js';

describe('TokenBucket', () => {
  it('starts full, then lets bytes through at the rate', () => {
    const bucket = new TokenBucket(1000, 100, 0); // 1000 bytes/s, burst 100
    expect(bucket.tryTake(100, 0)).toBe(true);
    expect(bucket.tryTake(1, 0)).toBe(false);
    expect(bucket.delayFor(50, 0)).toBe(50); // 50 bytes at 1 byte/ms
    expect(bucket.tryTake(50, 49)).toBe(false);
    expect(bucket.tryTake(50, 50)).toBe(true);
  });

  it('never holds more than the burst, however long it sat idle', () => {
    const bucket = new TokenBucket(1000, 100, 0);
    expect(bucket.tryTake(100, 10_000)).toBe(true);
    expect(bucket.tryTake(1, 10_000)).toBe(false);
  });

  it('refuses a send larger than the burst (the caller splits it) and a zero rate', () => {
    const bucket = new TokenBucket(1000, 100, 0);
    expect(() => bucket.delayFor(101, 0)).toThrow(RangeError);
    expect(() => new TokenBucket(0, 100, 0)).toThrow(RangeError);
  });

  it('a clock stepping back mints no tokens', () => {
    const bucket = new TokenBucket(1000, 100, 100);
    expect(bucket.tryTake(100, 100)).toBe(true);
    expect(bucket.tryTake(10, 50)).toBe(false);
    expect(bucket.tryTake(10, 110)).toBe(true);
  });

  it('greedy senders at random times never exceed burst + rate x window', () => {
    const rate = 12_500; // bytes per second
    const burst = 2_000;
    const bucket = new TokenBucket(rate, burst, 0);
    const sends: { atMs: number; bytes: number }[] = [];
    let seed = 7;
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let at = 0; at < 5_000; at += random() * 3) {
      const bytes = 1 + Math.floor(random() * burst);
      if (bucket.tryTake(bytes, at)) sends.push({ atMs: at, bytes });
    }
    const total = sends.reduce((sum, send) => sum + send.bytes, 0);
    expect(total).toBeGreaterThan(rate * 4); // it did run near the cap
    for (const windowMs of [1, 10, 100, 1_000]) {
      expect(maxBytesInWindow(sends, windowMs)).toBeLessThanOrEqual(burst + (rate * windowMs) / 1000);
    }
  });
});

describe('maxBytesInWindow', () => {
  it('finds the heaviest window, its ends included', () => {
    const sends = [
      { atMs: 0, bytes: 5 },
      { atMs: 10, bytes: 5 },
      { atMs: 20, bytes: 7 },
      { atMs: 100, bytes: 1 },
    ];
    expect(maxBytesInWindow(sends, 10)).toBe(12);
    expect(maxBytesInWindow(sends, 20)).toBe(17);
    expect(maxBytesInWindow(sends, 5)).toBe(7);
    expect(maxBytesInWindow([], 5)).toBe(0);
  });
});
