import { commands } from 'vitest/browser';
test('runs in Chromium and reaches the tus server', async () => {
  expect(navigator.userAgent).toContain('Chrome');
  const res = await fetch('/files', { method: 'OPTIONS' });
  expect(res.headers.get('tus-version')).toContain('1.0.0');
  expect(typeof commands.storedSha256).toBe('function');
});
