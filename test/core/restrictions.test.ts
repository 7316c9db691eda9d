import { checkRestrictions, isAccepted } from '../../src/core/restrictions.js';
import { makeFile, settle, setup } from './harness.js';

describe('restrictions', () => {
  test.each([
    ['file-too-large', { maxFileSize: 100 }, makeFile('big.bin', 101), /maxFileSize/],
    ['file-too-small', { minFileSize: 10 }, makeFile('tiny.bin', 9), /minFileSize/],
    ['file-type-not-accepted', { accept: ['image/*', '.pdf'] }, makeFile('notes.txt', 5, { type: 'text/plain' }), /accept/],
  ] as const)('%s: the rejection names the rule', (code, restrictions, file, rule) => {
    const rejection = checkRestrictions(file, restrictions, 0);
    expect(rejection?.code).toBe(code);
    expect(rejection?.message).toMatch(rule);
    expect(rejection?.message).toContain(file.name);
  });

  test('accept takes MIME types, type/* wildcards and extensions, case-insensitively', () => {
    expect(isAccepted({ name: 'a.PNG', type: 'image/png' }, ['image/*'])).toBe(true);
    expect(isAccepted({ name: 'a.pdf', type: '' }, ['.PDF'])).toBe(true);
    expect(isAccepted({ name: 'a.json', type: 'application/json' }, ['application/json'])).toBe(true);
    expect(isAccepted({ name: 'a.json', type: 'application/json' }, ['application/pdf', '.js'])).toBe(false);
    expect(checkRestrictions(makeFile('ok.bin', 50), { maxFileSize: 100, minFileSize: 10, accept: ['.bin'] }, 0)).toBeNull();
  });

  test('rejected files appear as data in the snapshot and cause no request', async () => {
    const { uploader, protocol } = setup({ restrictions: { maxFiles: 2, maxFileSize: 1000 } });
    const result = uploader.add([makeFile('a', 10), makeFile('huge', 5000), makeFile('b', 10), makeFile('c', 10)]);
    expect(result.accepted).toEqual(['file-1', 'file-3']);
    expect(result.rejected.map((r) => [r.name, r.rejection.code])).toEqual([
      ['huge', 'file-too-large'],
      ['c', 'too-many-files'],
    ]);
    expect(result.rejected[1]?.rejection.message).toMatch(/maxFiles/);
    const files = uploader.getSnapshot().files;
    expect(files.map((f) => f.status)).toEqual(['queued', 'rejected', 'queued', 'rejected']);
    expect(files[1]?.rejection?.code).toBe('file-too-large');
    expect(files[1]?.error?.code).toBe('rejected-file');
    await settle();
    expect(protocol.calls.filter((c) => c.file === 'huge' || c.file === 'c')).toEqual([]);
    expect(uploader.getSnapshot().totals.bytesTotal).toBe(20);
  });

  test('canceled and rejected files do not count toward maxFiles; remove() drops settled and waiting entries', async () => {
    const { uploader } = setup({ restrictions: { maxFiles: 1 }, autoStart: false });
    const first = uploader.add([makeFile('a', 10), makeFile('b', 10)]);
    await uploader.cancel(first.accepted[0]);
    expect(uploader.add([makeFile('c', 10)]).accepted).toHaveLength(1);
    uploader.remove(first.rejected[0]!.id);
    uploader.remove(first.accepted[0]!);
    expect(uploader.getSnapshot().files.map((f) => f.name)).toEqual(['c']);
    // A queued file that has not started goes in one step (remove cancels it first).
    uploader.remove('file-3');
    expect(uploader.getSnapshot().files.map((f) => f.name)).toEqual([]);
  });

  test('configure({ restrictions }) applies to files added afterwards', () => {
    const { uploader } = setup({ autoStart: false });
    uploader.configure({ restrictions: { accept: ['.pdf'] } });
    expect(uploader.add([makeFile('x.png', 10)]).rejected[0]?.rejection.code).toBe('file-type-not-accepted');
  });
});
