import { cleanup } from '@testing-library/react';
import { uploaderTracker } from './tusHarness.js';

/**
 * For widget tests in real Chromium: unmounts after each test, then checks and destroys every
 * uploader made through the returned tracker. React updates from real events land outside act() by
 * design (the tests wait for the DOM instead), so act() warnings, which buried the test output, are off.
 * Call at the top level of a test file.
 */
export function widgetTestUploaders(): ReturnType<typeof uploaderTracker> {
  const uploaders = uploaderTracker();
  beforeAll(() => {
    Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: false });
  });
  afterEach(() => {
    cleanup();
    uploaders.checkAndDestroyAll();
  });
  return uploaders;
}
