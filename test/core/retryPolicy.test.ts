import { defaultShouldRetry, retryDelay } from '../../src/core/retryPolicy.js';
import { UploadError, type UploadErrorCode } from '../../src/core/UploadError.js';

const withStatus = (status: number, retryAfterMs?: number): UploadError =>
  new UploadError('http-status', `status ${status}`, {
    response: { status, body: '', headers: {} },
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
const coded = (code: UploadErrorCode): UploadError => new UploadError(code, code);

describe('defaultShouldRetry', () => {
  test.each(['network', 'stalled', 'timeout', 'checksum-mismatch'] as const)('retries %s', (code) => {
    expect(defaultShouldRetry(coded(code))).toBe(true);
  });
  test.each(['protocol', 'file-changed', 'rejected-file', 'aborted'] as const)('does not retry %s', (code) => {
    expect(defaultShouldRetry(coded(code))).toBe(false);
  });
  test.each([500, 502, 503, 504, 409, 423, 429])('retries HTTP %i', (status) => {
    expect(defaultShouldRetry(withStatus(status))).toBe(true);
  });
  test.each([400, 401, 403, 404, 410, 413, 460])('does not retry HTTP %i', (status) => {
    expect(defaultShouldRetry(withStatus(status))).toBe(false);
  });
  test("a checksum mismatch answered 460 (tus) is retried, one answered 400 (S3's BadDigest) is not", () => {
    const mismatch = (status: number) => new UploadError('checksum-mismatch', 'bad digest', { response: { status, body: '', headers: {} } });
    expect(defaultShouldRetry(mismatch(460))).toBe(true);
    expect(defaultShouldRetry(mismatch(400))).toBe(false);
  });
});

describe('retryDelay', () => {
  const network = coded('network');

  test('exponential back-off doubles from baseDelay up to maxDelay (no jitter)', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => retryDelay(network, n, { jitter: 0, baseDelay: 1000, maxDelay: 10_000, maxRetries: 6 }));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  test('defaults: 5 retries from 1 s, jitter 0.5', () => {
    const top = (n: number): number | null => retryDelay(network, n, {}, () => 0);
    const bottom = (n: number): number | null => retryDelay(network, n, {}, () => 1);
    expect([1, 2, 3, 4, 5].map(top)).toEqual([1000, 2000, 4000, 8000, 16_000]);
    expect([1, 2, 3, 4, 5].map(bottom)).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(top(6)).toBeNull();
  });

  test('jitter keeps every delay within [ceiling * (1 - jitter), ceiling]', () => {
    for (const r of [0, 0.1, 0.37, 0.5, 0.99, 1]) {
      const delay = retryDelay(network, 3, { baseDelay: 1000, jitter: 0.3 }, () => r);
      expect(delay).toBeGreaterThanOrEqual(4000 * 0.7);
      expect(delay).toBeLessThanOrEqual(4000);
      expect(delay).toBe(Math.round(4000 * (1 - 0.3 * r)));
    }
  });

  test('fixed delays replace the schedule and set the number of retries', () => {
    const options = { delays: [0, 1000, 3000, 5000] };
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(network, n, options))).toEqual([0, 1000, 3000, 5000, null]);
    expect(retryDelay(network, 6, { delays: [0, 250], maxRetries: 6 })).toBe(250);
  });

  test('Retry-After wins when it is longer, on 429 and 503 only', () => {
    expect(retryDelay(withStatus(429, 7000), 1, { delays: [100] })).toBe(7000);
    expect(retryDelay(withStatus(503, 50), 1, { delays: [100] })).toBe(100);
    expect(retryDelay(withStatus(503, 60_000), 1, { delays: [100] })).toBe(60_000);
    expect(retryDelay(withStatus(500, 7000), 1, { delays: [100] })).toBe(100);
  });

  test('gives up on errors that shouldRetry refuses, and a custom shouldRetry replaces the default', () => {
    expect(retryDelay(withStatus(403), 1)).toBeNull();
    const onlyProtocol = { delays: [10], shouldRetry: (e: UploadError) => e.code === 'protocol' };
    expect(retryDelay(coded('protocol'), 1, onlyProtocol)).toBe(10);
    expect(retryDelay(network, 1, onlyProtocol)).toBeNull();
    const seen: number[] = [];
    retryDelay(network, 3, { shouldRetry: (_e, attempt) => (seen.push(attempt), true) });
    expect(seen).toEqual([3]);
  });
});
