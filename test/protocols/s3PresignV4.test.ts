import { presignV4 } from '../../demo/server/presignV4.js';

describe('presignV4 (the demo backend signer)', () => {
  test("reproduces AWS's documented example of a presigned GET", () => {
    // "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)", example request.
    const url = presignV4(
      'GET',
      'https://examplebucket.s3.amazonaws.com/test.txt',
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' },
      86400,
      new Date(Date.UTC(2013, 4, 24)),
    );
    expect(url).toContain('X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request');
    expect(url.endsWith('&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404')).toBe(true);
  });
});
