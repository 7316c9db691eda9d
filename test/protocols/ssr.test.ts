import { tus, XhrHttpStack } from '../../src/protocols/index.js';

test('importing and configuring the tus protocol touches no browser global (SSR-safe)', () => {
  expect(typeof (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest).toBe('undefined');
  expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
  const protocol = tus({ endpoint: '/files' });
  expect(protocol.endpoint).toBe('/files');
  expect(new XhrHttpStack()).toBeInstanceOf(XhrHttpStack);
});
