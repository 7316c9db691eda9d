/** Where Debian's Chromium lives unless CHROMIUM_PATH says otherwise, and the flags this sandbox needs. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Uploads of large files must not be throttled when the page is not focused.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
];
