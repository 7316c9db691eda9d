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

export interface MemorySample {
  /** The meter's summary, e.g. "In flight 8 MiB of 64 MiB · peak 8 MiB · pooled 8 MiB". */
  summary: string;
  /** Whether a file was uploading when the meter rendered it. */
  uploading: boolean;
}

/**
 * Records every summary the memory meter renders from now on, and whether a file was uploading then.
 * A MutationObserver catches each render, however short the upload, without polling from Node.
 */
export async function startMemorySampler(page: Page): Promise<void> {
  await page.evaluate(() => {
    const samples: { summary: string; uploading: boolean }[] = [];
    const read = () => {
      const summary = document.querySelector('.lu-memory .lu-memory-summary')?.textContent ?? '';
      const uploading = document.querySelector('.lu-file[data-status="uploading"]') !== null;
      const last = samples[samples.length - 1];
      if (summary && (last?.summary !== summary || last.uploading !== uploading)) samples.push({ summary, uploading });
    };
    read();
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    Reflect.set(window, 'memorySamples', samples);
  });
}

export async function memorySamples(page: Page): Promise<MemorySample[]> {
  return page.evaluate(() => Reflect.get(window, 'memorySamples') as MemorySample[]);
}

/** The memory meter's counter `name` (e.g. 'leasedBuffers') as a number. */
export async function memoryCounter(page: Page, name: string): Promise<number> {
  const text = await page.locator(`.lu-memory [data-counter="${name}"] dd`).textContent();
  return Number(text);
}

const UNIT: Record<string, number> = {
  B: 1,
  byte: 1,
  bytes: 1,
  kB: 1e3,
  KiB: 2 ** 10,
  MB: 1e6,
  MiB: 2 ** 20,
  GB: 1e9,
  GiB: 2 ** 30,
};

export interface MeterReading {
  inFlight: number;
  budget: number;
  peak: number;
}

/** "In flight 8.4 MB of 67.1 MB · peak 8.4 MB · pooled 8.4 MB" (or "0 bytes") → bytes. */
export function readMeter(summary: string): MeterReading {
  const size = String.raw`([\d.]+\s*(?:[kKMGT]i?B|B|bytes?))`;
  const match = new RegExp(String.raw`In flight\s*${size}\s*of\s*${size}\s*·\s*peak\s*${size}`).exec(summary);
  if (!match?.[1] || !match[2] || !match[3]) throw new Error(`unexpected memory meter text: ${summary}`);
  return { inFlight: toBytes(match[1]), budget: toBytes(match[2]), peak: toBytes(match[3]) };
}

function toBytes(text: string): number {
  const match = /^([\d.]+)\s*(\S+)$/.exec(text.trim());
  const unit = match?.[2] === undefined ? undefined : UNIT[match[2]];
  if (!match?.[1] || unit === undefined) throw new Error(`unexpected size: ${text}`);
  return Number(match[1]) * unit;
}
