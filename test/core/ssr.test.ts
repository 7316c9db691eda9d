// Node environment on purpose. During server rendering, useUpload(options) creates an uploader that is
// never destroyed (effects do not run on the server), so creating one and reading its snapshot must
// start no timer and touch no storage and no browser global: the work waits for the first use.
import { createUploader } from '../../src/core/createUploader.js';
import { createFakeProtocol } from '../support/fakeProtocol.js';
import { makeFile, until } from './harness.js';

const BROWSER_GLOBALS = ['window', 'document', 'location', 'localStorage', 'sessionStorage', 'navigator', 'indexedDB'] as const;

let watching = false;
let touched: string[] = [];
const saved = new Map<string, PropertyDescriptor | undefined>();

beforeEach(() => {
  touched = [];
  for (const name of BROWSER_GLOBALS) {
    saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        if (watching) touched.push(name);
        return name === 'localStorage' ? memoryStorage() : undefined;
      },
    });
  }
});

afterEach(() => {
  watching = false;
  vi.restoreAllMocks();
  for (const name of BROWSER_GLOBALS) {
    const descriptor = saved.get(name);
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else Reflect.deleteProperty(globalThis, name);
  }
});

/** Enough of Storage for localUrlStorage(). */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

test('createUploader() and getSnapshot() start no timer and touch no storage or browser global', () => {
  const timeouts = vi.spyOn(globalThis, 'setTimeout');
  const intervals = vi.spyOn(globalThis, 'setInterval');
  watching = true;
  // Default clock and default resume (localStorage): the options an SSR page passes.
  const uploader = createUploader({ protocol: createFakeProtocol() });
  const snapshot = uploader.getSnapshot();
  uploader.getSnapshot();
  watching = false;
  expect(snapshot.files).toEqual([]);
  expect(snapshot.memory.pooledBytes).toBe(0);
  expect(touched).toEqual([]);
  expect(timeouts).not.toHaveBeenCalled();
  expect(intervals).not.toHaveBeenCalled();
});

test('the first add() is what reaches for localStorage (the probe above would see it)', async () => {
  watching = true;
  const uploader = createUploader({ protocol: createFakeProtocol(), checksum: false });
  expect(touched).toEqual([]);
  uploader.add([makeFile('a.bin', 10)]);
  await until(() => uploader.getSnapshot().files[0]?.status === 'completed');
  watching = false;
  expect(touched).toContain('localStorage');
  uploader.destroy();
});
