import { commands } from 'vitest/browser';

// After each browser test (and its own afterEach, which stops its workers and uploaders): collect the
// page's garbage, so the in-memory Blobs the test made are freed before the next test makes its own.
// Without it they outlived their tests and spent Chromium's blob quota (see collectGarbage.ts).
afterEach(async () => {
  await commands.collectGarbage();
});
