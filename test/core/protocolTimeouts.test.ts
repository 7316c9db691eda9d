import { createUploader } from '../../src/core/createUploader.js';
import type { Protocol, ProtocolSession, UrlStorage } from '../../src/core/ports.js';
import { memoryUrlStorage, resumeKey } from '../../src/core/resumeStorage.js';
import type { Uploader, UploaderOptions } from '../../src/core/types.js';
import { UploadError } from '../../src/core/UploadError.js';
import { createFakeClock, type FakeClock } from '../support/fakeClock.js';
import { createFakeProtocol, type FakeProtocol } from '../support/fakeProtocol.js';
import { bytes, makeFile, settle, sha, storedBytes, track, until } from './harness.js';

type Hangable = 'open' | 'sync' | 'complete' | 'terminate';

/** A call the wrapper below holds: it never answers; it ends only when its signal aborts (unless told to ignore it). */
interface HungCall {
  kind: Hangable;
  signal: AbortSignal;
}

interface Rig {
  uploader: Uploader;
  fake: FakeProtocol;
  clock: FakeClock;
  storage: UrlStorage;
  hung: HungCall[];
  /** The next call of `kind` never answers. */
  hangNext(kind: Hangable, options?: { ignoreAbort?: boolean }): void;
  /** Every error the retry policy was asked about, in order. */
  retried: UploadError[];
}

const RESPONSE_TIMEOUT = 5000;

/**
 * The fake protocol, with calls other than parts that can be made to hang like a server that
 * never answers: the only way out is the signal the engine gave the call.
 */
function rig(options: Partial<UploaderOptions> = {}): Rig {
  const clock = createFakeClock(1_000_000);
  const fake = createFakeProtocol({ clock });
  const hung: HungCall[] = [];
  const queued: Array<{ kind: Hangable; ignoreAbort: boolean }> = [];
  const retried: UploadError[] = [];
  const hangOr = <T>(kind: Hangable, signal: AbortSignal | undefined, real: () => Promise<T>): Promise<T> => {
    const index = queued.findIndex((q) => q.kind === kind);
    if (index < 0) return real();
    const ignoreAbort = queued.splice(index, 1)[0]?.ignoreAbort ?? false;
    const own = signal ?? new AbortController().signal;
    hung.push({ kind, signal: own });
    return new Promise<T>((_resolve, reject) => {
      if (ignoreAbort) return;
      own.addEventListener('abort', () => reject(new UploadError('aborted', `fake: ${kind} aborted`, { cause: own.reason })), { once: true });
    });
  };
  const wrap = (session: ProtocolSession): ProtocolSession => ({
    capabilities: session.capabilities,
    get uploaded() {
      return session.uploaded;
    },
    resumeRecord: () => session.resumeRecord(),
    sendPart: (part) => session.sendPart(part),
    sync: (headers, signal) => hangOr('sync', signal, () => session.sync(headers, signal)),
    complete: (headers, signal) => hangOr('complete', signal, () => session.complete(headers, signal)),
    terminate: (headers, signal) => hangOr('terminate', signal, () => session.terminate(headers, signal)),
  });
  const protocol: Protocol = {
    name: fake.name,
    endpoint: fake.endpoint,
    open: (request) => hangOr('open', request.signal, async () => wrap(await fake.open(request))),
  };
  const storage = memoryUrlStorage();
  const uploader = createUploader({
    protocol,
    clock,
    resume: storage,
    random: () => 0.5,
    partSize: 1000,
    maxPartSize: 1000,
    checksum: false,
    responseTimeout: RESPONSE_TIMEOUT,
    ...options,
    retry: {
      delays: [0, 0, 0],
      shouldRetry: (error) => {
        retried.push(error);
        return true;
      },
      ...options.retry,
    },
  });
  track(uploader);
  return {
    uploader,
    fake,
    clock,
    storage,
    hung,
    retried,
    hangNext: (kind, { ignoreAbort = false } = {}) => void queued.push({ kind, ignoreAbort }),
  };
}

const fileOf = (uploader: Uploader) => uploader.getSnapshot().files[0]!;

/** The call hangs from now: nothing at responseTimeout - 1 ms, a 'timeout' abort at responseTimeout exactly. */
function expectTimeoutAtExactly(clock: FakeClock, call: HungCall): void {
  clock.advance(RESPONSE_TIMEOUT - 1);
  expect(call.signal.aborted).toBe(false);
  clock.advance(1);
  expect(call.signal.aborted).toBe(true);
  expect(call.signal.reason).toMatchObject({ code: 'timeout' });
}

async function expectCompletedExactly(r: Rig, source: Uint8Array): Promise<void> {
  r.clock.advance(0);
  await until(() => fileOf(r.uploader).status === 'completed', 'the upload to complete');
  expect(fileOf(r.uploader).error).toBeNull();
  expect(sha(storedBytes(r.fake))).toBe(sha(source));
}

describe('protocol calls other than parts are limited by responseTimeout', () => {
  test.each(['open', 'complete'] as const)('a %s that never answers times out at responseTimeout, is retried, and the upload completes', async (kind) => {
    const r = rig();
    r.hangNext(kind);
    const source = bytes(2500, 3);
    r.uploader.add([new File([source], 'a.bin', { lastModified: 1 })]);
    await until(() => r.hung.length === 1, `the hung ${kind}`);
    const call = r.hung[0]!;
    expect(call.kind).toBe(kind);
    expectTimeoutAtExactly(r.clock, call);
    await until(() => r.retried.length === 1, 'the retry decision');
    expect(r.retried[0]).toMatchObject({ code: 'timeout', message: `No answer to ${kind} within ${RESPONSE_TIMEOUT} ms` });
    await expectCompletedExactly(r, source);
    // The hung call never reached the fake server; the retry's did.
    expect(r.fake.count(kind)).toBe(1);
  });

  test('a sync (after a failed part) that never answers times out, is retried, and the upload completes', async () => {
    const r = rig();
    r.fake.failNext('sendPart', new UploadError('network', 'reset'), { keep: 400 });
    r.hangNext('sync');
    const source = bytes(2500, 4);
    r.uploader.add([new File([source], 'a.bin', { lastModified: 1 })]);
    await until(() => r.retried.length === 1, 'the part failure');
    r.clock.advance(0);
    await until(() => r.hung.length === 1, 'the hung sync');
    expectTimeoutAtExactly(r.clock, r.hung[0]!);
    await until(() => r.retried.length === 2, 'the retry decision');
    expect(r.retried[1]?.code).toBe('timeout');
    await expectCompletedExactly(r, source);
    // The server's 400 bytes were found by the second sync, not sent again.
    expect(r.fake.parts().map((p) => p.start)).toEqual([0, 400, 1400, 2400]);
  });

  test('the timed-out call follows the retry policy: no retry left means failed with code timeout', async () => {
    const r = rig({ retry: { maxRetries: 0 } });
    r.hangNext('open');
    r.uploader.add([makeFile('a.bin', 100)]);
    await until(() => r.hung.length === 1);
    expectTimeoutAtExactly(r.clock, r.hung[0]!);
    await until(() => fileOf(r.uploader).status === 'failed');
    expect(fileOf(r.uploader).error?.code).toBe('timeout');
  });

  test('pause aborts a hanging call at once, with no timeout reported; resume then completes', async () => {
    const r = rig();
    r.hangNext('open');
    const source = bytes(1500, 5);
    r.uploader.add([new File([source], 'a.bin', { lastModified: 1 })]);
    await until(() => r.hung.length === 1);
    const id = fileOf(r.uploader).id;
    r.uploader.pause(id);
    expect(r.hung[0]!.signal.aborted).toBe(true);
    expect(r.hung[0]!.signal.reason).toMatchObject({ code: 'aborted' });
    await settle();
    expect(fileOf(r.uploader)).toMatchObject({ status: 'paused', error: null });
    expect(r.retried).toEqual([]);
    r.uploader.resume(id);
    await expectCompletedExactly(r, source);
  });

  test('a call that ignores its aborted signal is abandoned after responseTimeout more, as a timeout', async () => {
    const r = rig();
    r.hangNext('complete', { ignoreAbort: true });
    const source = bytes(1000, 6);
    r.uploader.add([new File([source], 'a.bin', { lastModified: 1 })]);
    await until(() => r.hung.length === 1);
    expectTimeoutAtExactly(r.clock, r.hung[0]!);
    await settle();
    expect(r.retried).toEqual([]);
    r.clock.advance(RESPONSE_TIMEOUT - 1);
    await settle();
    expect(r.retried).toEqual([]);
    r.clock.advance(1);
    await until(() => r.retried.length === 1);
    expect(r.retried[0]?.code).toBe('timeout');
    await expectCompletedExactly(r, source);
  });

  test('responseTimeout Infinity waits forever: no timer, no abort', async () => {
    const r = rig({ responseTimeout: Infinity });
    r.hangNext('open');
    r.uploader.add([makeFile('a.bin', 100)]);
    await until(() => r.hung.length === 1);
    expect(r.clock.pending()).toBe(0);
    r.clock.advance(10 * 24 * 3600 * 1000);
    expect(r.hung[0]!.signal.aborted).toBe(false);
  });
});

describe('cancel with a terminate that never answers', () => {
  test('finishes locally at responseTimeout: canceled, record removed, buffers back, nothing failed', async () => {
    const r = rig();
    r.fake.hold();
    const source = makeFile('a.bin', 3000);
    r.uploader.add([source]);
    await until(() => r.fake.held.length === 1, 'the first part');
    await r.fake.held[0]!.resolve();
    await until(() => r.fake.held.length === 1 && r.fake.held[0]!.start === 1000, 'the second part');
    const file = fileOf(r.uploader);
    const key = resumeKey(r.fake.endpoint, source);
    expect((await r.storage.get(key))?.url).toBe(file.url);
    r.hangNext('terminate');
    let canceled = false;
    void r.uploader.cancel(file.id).then(() => (canceled = true));
    await until(() => r.hung.length === 1, 'the hung terminate');
    expect(fileOf(r.uploader).status).toBe('canceled');
    expectTimeoutAtExactly(r.clock, r.hung[0]!);
    await until(() => canceled, 'the cancel to finish');
    expect(fileOf(r.uploader)).toMatchObject({ status: 'canceled', error: null });
    expect(await r.storage.get(key)).toBeUndefined();
    expect(r.uploader.getSnapshot().memory.leasedBuffers).toBe(0);
    expect(r.retried).toEqual([]);
    expect(r.clock.pending()).toBe(0);
  });
});
