import type { Page } from 'playwright-core';

/** Choose an option of one of the demo's labelled settings, e.g. ('Checksum', 'SHA-256 on every chunk'). */
export async function chooseSetting(page: Page, label: string, option: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).selectOption({ label: option });
}

/** The widget's file input (the real <input type=file> inside the drop area). */
export function fileInput(page: Page) {
  return page.locator('.lu-uploader input[type="file"]');
}

export interface FileOutcome {
  status: string;
  text: string;
}

/** Waits until the widget's row for `name` reaches a final state, and returns it with the row's text. */
export async function waitForFileOutcome(page: Page, name: string, timeout = 150_000): Promise<FileOutcome> {
  const handle = await page.waitForFunction(
    (fileName) => {
      for (const row of document.querySelectorAll<HTMLElement>('.lu-file')) {
        if (row.querySelector('.lu-file-name')?.textContent !== fileName) continue;
        const status = row.dataset.status ?? '';
        if (['completed', 'failed', 'canceled', 'rejected'].includes(status)) {
          return { status, text: row.textContent ?? '' };
        }
      }
      return null;
    },
    name,
    { timeout, polling: 100 },
  );
  return (await handle.jsonValue()) as FileOutcome;
}

/**
 * Records every text the memory meter shows for bytes in flight ("12.6 MB of 67.1 MB"), from now on.
 * A MutationObserver catches each render, however short the upload, without polling from Node.
 */
export async function startMemorySampler(page: Page): Promise<void> {
  await page.evaluate(() => {
    const samples: string[] = [];
    const read = () => {
      const text = document.querySelector('.lu-memory .lu-memory-summary strong')?.textContent;
      if (text && samples[samples.length - 1] !== text) samples.push(text);
    };
    read();
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true });
    Object.assign(window, { memorySamples: samples });
  });
}

export async function memorySamples(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { memorySamples: string[] }).memorySamples);
}

/** The memory meter's counter `name` (e.g. 'leasedBuffers') as a number. */
export async function memoryCounter(page: Page, name: string): Promise<number> {
  const text = await page.locator(`.lu-memory [data-counter="${name}"] dd`).textContent();
  return Number(text);
}

const UNIT: Record<string, number> = {
  B: 1,
  kB: 1e3,
  KiB: 2 ** 10,
  MB: 1e6,
  MiB: 2 ** 20,
  GB: 1e9,
  GiB: 2 ** 30,
};

/** "12.5 MiB of 64 MiB" → 13_107_200: the in-flight part of the meter's text, in bytes. */
export function inFlightBytes(sample: string): number {
  const match = /^([\d.]+)\s*([kKMG]i?B|B)\b/.exec(sample.trim());
  const unit = match?.[2] === undefined ? undefined : UNIT[match[2]];
  if (!match?.[1] || unit === undefined) throw new Error(`unexpected memory meter text: ${sample}`);
  return Number(match[1]) * unit;
}
