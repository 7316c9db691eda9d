import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestStats } from './RequestStats.js';

/** Just what RequestStats reads of a request, and a response that can be closed by hand. */
function exchange(method: string, headers: Record<string, string> = {}) {
  const req = { method, headers } as unknown as IncomingMessage;
  const emitter = new EventEmitter();
  const res = emitter as unknown as ServerResponse;
  return { req, res, close: () => emitter.emit('close') };
}

describe('RequestStats', () => {
  let time = 0;
  const clock = () => time;

  beforeEach(() => {
    time = 0;
  });

  it('counts methods and the sizes of requests that carry file bytes', () => {
    const stats = new RequestStats(clock);
    for (const [method, headers] of [
      ['OPTIONS', {}],
      ['POST', { 'content-length': '0' }],
      ['PATCH', { 'content-length': '8' }],
      ['PATCH', { 'content-length': '4' }],
      ['POST', { 'content-length': '2' }],
    ] as const) {
      const { req, res, close } = exchange(method, headers);
      stats.track(req, res);
      close();
    }
    const figures = stats.figures();
    expect(figures.byMethod).toEqual({ OPTIONS: 1, POST: 2, PATCH: 2 });
    expect(figures.bodyRequests).toBe(3);
    expect(figures.bodyBytes).toEqual({ count: 3, median: 4, max: 8, min: 2 });
    expect(figures.postBodyBytes).toBe(2);
  });

  it('tells checksummed bodies from unverified ones', () => {
    const stats = new RequestStats(clock);
    const bodies: Record<string, string>[] = [{ 'content-length': '8', 'upload-checksum': 'sha256 abc=' }, { 'content-length': '8' }];
    for (const headers of bodies) {
      const { req, res, close } = exchange('PATCH', headers);
      stats.track(req, res);
      close();
    }
    expect(stats.figures()).toMatchObject({ bodyRequests: 2, checksummedBodies: 1 });
  });

  it('measures requests open at once, time per request and time with none open', () => {
    const stats = new RequestStats(clock);
    const first = exchange('PATCH', { 'content-length': '1' });
    const second = exchange('PATCH', { 'content-length': '1' });
    stats.track(first.req, first.res);
    time = 10;
    stats.track(second.req, second.res);
    time = 30;
    first.close();
    time = 40;
    second.close();
    time = 100; // the client takes 60 ms to send its next request
    const third = exchange('POST');
    stats.track(third.req, third.res);
    time = 104;
    third.close();
    expect(stats.figures()).toMatchObject({
      maxConcurrent: 2,
      medianMsByMethod: { PATCH: 30, POST: 4 },
      spanMs: 104,
      idleMs: 60,
    });
  });
});
