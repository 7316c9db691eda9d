import { objectKey } from './s3Side.js';

describe('objectKey', () => {
  it('reads the object key from what each S3 page reports: a key, s3:<key>, or a path-style URL', () => {
    expect(objectKey('abc-file-0001.bin')).toBe('abc-file-0001.bin');
    expect(objectKey('s3:1f0e/file 1.bin')).toBe('1f0e/file 1.bin');
    expect(objectKey('http://127.0.0.1:4000/bench/1f0e/file%201.bin')).toBe('1f0e/file 1.bin');
  });
});
