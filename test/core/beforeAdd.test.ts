import { checkRestrictions } from '../../src/core/restrictions.js';
import type { BeforeFileAdded } from '../../src/core/types.js';
import { makeFile, settle, setup } from './harness.js';

/** A promise the test settles by hand, so async checks answer exactly when the test says. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('maxTotalSize and minFiles', () => {
  test('maxTotalSize counts held files (not rejected or canceled ones) and names its rule', async () => {
    const { uploader } = setup({ autoStart: false, restrictions: { maxTotalSize: 100 } });
    const first = uploader.add([makeFile('a', 60), makeFile('b', 50), makeFile('c', 40)]);
    expect(first.accepted).toEqual(['file-1', 'file-3']);
    const rejected = first.rejected[0]!;
    expect(rejected.rejection).toMatchObject({ code: 'total-too-large', params: { name: 'b', size: 110, limit: 100 } });
    expect(rejected.rejection.message).toMatch(/maxTotalSize/);
    await uploader.cancel('file-1');
    expect(uploader.add([makeFile('d', 60)]).accepted).toEqual(['file-4']);
    expect(checkRestrictions(makeFile('e', 1), { maxTotalSize: 100 }, 2, 100)?.code).toBe('total-too-large');
  });

  test('minFiles holds every start back, and totals say how many files are missing', async () => {
    const { uploader, protocol } = setup({ restrictions: { minFiles: 3 } });
    uploader.add([makeFile('a', 10), makeFile('b', 10)]);
    uploader.start();
    await settle();
    expect(protocol.count('open')).toBe(0);
    expect(uploader.getSnapshot().totals.filesNeeded).toBe(1);
    expect(uploader.getSnapshot().files.map((f) => f.status)).toEqual(['queued', 'queued']);

    uploader.add([makeFile('c', 10)]);
    await settle();
    expect(uploader.getSnapshot().totals.filesNeeded).toBe(0);
    expect(uploader.getSnapshot().files.map((f) => f.status)).toEqual(['completed', 'completed', 'completed']);
  });
});

describe('remove() on a file that has not started', () => {
  test('removes a queued file in one step, and a paused one after canceling it', async () => {
    const { uploader, protocol } = setup({ autoStart: false });
    const { accepted } = uploader.add([makeFile('a', 10), makeFile('b', 10)]);
    uploader.remove(accepted[0]!);
    uploader.pause(accepted[1]);
    uploader.remove(accepted[1]!);
    expect(uploader.getSnapshot().files).toEqual([]);
    await settle();
    expect(protocol.count('open')).toBe(0);
  });

  test('leaves an uploading file alone: that needs Cancel first', async () => {
    const { uploader } = setup();
    const { accepted } = uploader.add([makeFile('a', 10)]);
    await Promise.resolve();
    await Promise.resolve();
    expect(uploader.getSnapshot().files[0]?.status).toBe('uploading');
    uploader.remove(accepted[0]!);
    expect(uploader.getSnapshot().files).toHaveLength(1);
    await settle();
  });
});

describe('onBeforeFileAdded and validate', () => {
  test('an async answer keeps the file "checking", then refuses it with the reason or renames it with metadata', async () => {
    const answers = new Map(['keep.txt', 'nope.txt', 'no.txt'].map((name) => [name, deferred<BeforeFileAdded>()]));
    const { uploader, protocol } = setup({ onBeforeFileAdded: (file) => answers.get(file.name)!.promise });
    const result = uploader.add([makeFile('keep.txt', 10), makeFile('nope.txt', 10), makeFile('no.txt', 10)]);
    expect(result).toMatchObject({ accepted: [], rejected: [], pending: ['file-1', 'file-2', 'file-3'] });
    await settle();
    expect(uploader.getSnapshot().files.map((f) => f.status)).toEqual(['checking', 'checking', 'checking']);
    expect(protocol.count('open')).toBe(0);

    answers.get('keep.txt')!.resolve({ name: 'renamed.txt', metadata: { album: 'holiday' } });
    answers.get('nope.txt')!.resolve({ reason: 'Only files from today.' });
    answers.get('no.txt')!.resolve(false);
    await settle();
    const [kept, refused, no] = uploader.getSnapshot().files;
    expect(kept).toMatchObject({ name: 'renamed.txt', status: 'completed', metadata: { album: 'holiday' } });
    expect(protocol.calls.find((c) => c.kind === 'open')?.metadata).toMatchObject({ filename: 'renamed.txt', album: 'holiday' });
    expect(refused?.rejection).toMatchObject({ code: 'refused', params: { reason: 'Only files from today.' } });
    expect(refused?.rejection?.message).toBe('nope.txt was not added: Only files from today.');
    expect(no?.rejection?.message).toBe('no.txt was not added (onBeforeFileAdded).');
    expect(refused?.error?.code).toBe('rejected-file');
  });

  test('validate runs after the other rules; its reason, or a throw, refuses the file', async () => {
    const validate = vi.fn(async (file: File) => {
      if (file.name === 'boom') throw new Error('Scanner offline');
      return file.size % 2 ? 'Odd sizes are not allowed.' : null;
    });
    const { uploader } = setup({ autoStart: false, restrictions: { maxFileSize: 100, validate } });
    const result = uploader.add([makeFile('even', 10), makeFile('odd', 11), makeFile('huge', 500), makeFile('boom', 2)]);
    expect(result.rejected.map((r) => r.rejection.code)).toEqual(['file-too-large']);
    await settle();
    expect(validate.mock.calls.map(([file]) => file.name)).toEqual(['even', 'odd', 'boom']);
    expect(uploader.getSnapshot().files.map((f) => [f.status, f.rejection?.code])).toEqual([
      ['queued', undefined],
      ['rejected', 'invalid-file'],
      ['rejected', 'file-too-large'],
      ['rejected', 'invalid-file'],
    ]);
    expect(uploader.getSnapshot().files[3]?.rejection?.params.reason).toBe('Scanner offline');
  });

  test('a file removed while checking stays gone when the answer comes', async () => {
    const answer = deferred<undefined>();
    const { uploader, protocol } = setup({ onBeforeFileAdded: () => answer.promise });
    const { pending } = uploader.add([makeFile('a', 10)]);
    uploader.remove(pending[0]!);
    answer.resolve(undefined);
    await settle();
    expect(uploader.getSnapshot().files).toEqual([]);
    expect(protocol.count('open')).toBe(0);
  });

  test('start() while a file is checking starts it once admitted (autoStart off)', async () => {
    const answer = deferred<undefined>();
    const { uploader } = setup({ autoStart: false, onBeforeFileAdded: () => answer.promise });
    uploader.add([makeFile('a', 10), makeFile('b', 10)]);
    uploader.start('file-1');
    answer.resolve(undefined);
    await settle();
    expect(uploader.getSnapshot().files.map((f) => f.status)).toEqual(['completed', 'queued']);
  });

  test('files being checked count toward maxFiles', () => {
    const { uploader } = setup({ onBeforeFileAdded: () => new Promise(() => undefined), restrictions: { maxFiles: 1 } });
    const result = uploader.add([makeFile('a', 1), makeFile('b', 1)]);
    expect(result.pending).toEqual(['file-1']);
    expect(result.rejected[0]?.rejection.code).toBe('too-many-files');
  });
});
