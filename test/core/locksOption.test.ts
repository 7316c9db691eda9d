import type { UploadLocks } from '../../src/core/UploadLock.js';

/**
 * `locks: null` turns Web Locks off (the documented opt-out): it must not fall back to the default,
 * navigator.locks. The default is read when settings.ts loads, so navigator is stubbed before a
 * fresh import.
 */
describe('the locks option', () => {
  const browserLocks: UploadLocks = { request: () => Promise.resolve(undefined) };

  async function freshSettings(): Promise<typeof import('../../src/core/settings.js')> {
    vi.stubGlobal('navigator', { locks: browserLocks });
    vi.resetModules();
    return import('../../src/core/settings.js');
  }

  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  test('null means no locks; undefined means the browser’s', async () => {
    const { assign, DEFAULTS } = await freshSettings();
    expect(DEFAULTS.locks).toBe(browserLocks);
    const settings = { ...DEFAULTS } as Parameters<typeof assign>[0];
    assign(settings, { locks: null }, ['locks']);
    expect(settings.locks).toBeNull();
    assign(settings, { locks: undefined }, ['locks']);
    expect(settings.locks).toBe(browserLocks);
  });
});
