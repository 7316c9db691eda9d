import { loadOnce } from '../../src/index.js';

test('calls share one load while it is pending and after it succeeded', async () => {
  let loads = 0;
  let finish!: (value: string) => void;
  const load = loadOnce(() => {
    loads++;
    return new Promise<string>((resolve) => (finish = resolve));
  });
  const first = load();
  const second = load();
  expect(second).toBe(first);
  finish('code');
  await expect(first).resolves.toBe('code');
  await expect(load()).resolves.toBe('code');
  expect(loads).toBe(1);
});

test('a failed load is forgotten: the next call loads again, and the one after shares the success', async () => {
  let loads = 0;
  const load = loadOnce(() => (++loads === 1 ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : Promise.resolve(loads)));
  await expect(load()).rejects.toThrow('Failed to fetch');
  await expect(load()).resolves.toBe(2);
  await expect(load()).resolves.toBe(2);
  expect(loads).toBe(2);
});

test('a failed load nobody awaits (a preload) is not reported as unhandled', async () => {
  const unhandled: unknown[] = [];
  const listen = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', listen);
  try {
    const load = loadOnce(() => Promise.reject(new TypeError('offline')));
    void load();
    // Long enough for Node to report an unhandled rejection (it checks after the microtask queue drains).
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off('unhandledRejection', listen);
  }
  expect(unhandled).toEqual([]);
});
