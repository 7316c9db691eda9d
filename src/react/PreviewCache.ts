/**
 * Thumbnails as small data: URLs, loaded only when a thumbnail is first shown (usePreview imports this
 * module dynamically). Bounded: at most `maxDecodes` images decode at once, and a preview lives only
 * while a row holds it: the cache drops it when the last holder lets go.
 *
 * Why not object URLs: URL.createObjectURL registers the Blob with the browser process synchronously;
 * on a loaded machine one call blocked the main thread for 61 ms in headless Chromium (measured with a
 * long-task observer while 200 previews were made). A ~6 KB data: URL is read asynchronously
 * (FileReader), needs no revoking, and is garbage-collected with the last <img> that shows it.
 */

interface Entry {
  readonly file: File;
  readonly width: number;
  holders: number;
  /** Decoding or waiting for a slot. */
  pending: Promise<string | null>;
  settle: (url: string | null) => void;
}

export interface PreviewLease {
  /** A data: URL of the preview, or null when the image could not be decoded (the caller shows an icon). */
  readonly url: Promise<string | null>;
  release(): void;
}

export class PreviewCache {
  readonly #entries = new Map<File, Entry>();
  readonly #waiting: Entry[] = [];
  readonly #maxDecodes: number;
  #decoding = 0;

  constructor(maxDecodes = 2) {
    this.#maxDecodes = maxDecodes;
  }

  /** Previews held now, decoded or not (for tests and a memory readout). */
  get size(): number {
    return this.#entries.size;
  }

  acquire(file: File, width: number): PreviewLease {
    let entry = this.#entries.get(file);
    if (!entry || entry.width !== width) {
      let settle!: (url: string | null) => void;
      const pending = new Promise<string | null>((resolve) => (settle = resolve));
      entry = { file, width, holders: 0, pending, settle };
      this.#entries.set(file, entry);
      this.#waiting.push(entry);
      this.#pump();
    }
    const held = entry;
    held.holders++;
    let released = false;
    return {
      url: held.pending,
      release: () => {
        if (released) return;
        released = true;
        held.holders--;
        // A macrotask later: React's StrictMode unmounts and remounts an effect at once; keep the preview.
        if (held.holders === 0) setTimeout(() => this.#drop(held), 0);
      },
    };
  }

  #drop(entry: Entry): void {
    if (entry.holders > 0) return;
    if (this.#entries.get(entry.file) === entry) this.#entries.delete(entry.file);
    const queued = this.#waiting.indexOf(entry);
    // Not started: never decode a preview nobody will see (a row scrolled away, a file removed).
    if (queued >= 0) {
      this.#waiting.splice(queued, 1);
      entry.settle(null);
    }
  }

  #pump(): void {
    while (this.#decoding < this.#maxDecodes) {
      const entry = this.#waiting.shift();
      if (!entry) return;
      this.#decoding++;
      void thumbnailBlob(entry.file, entry.width)
        // Dropped while decoding: read no URL at all.
        .then((blob) => (blob && this.#entries.get(entry.file) === entry ? dataUrl(blob) : null))
        .catch(() => null)
        .then((url) => {
          this.#decoding--;
          this.#pump();
          entry.settle(url);
        });
    }
  }
}

/**
 * A small PNG of the image, `width` px wide. createImageBitmap decodes and scales a Blob off the main
 * thread in Chromium (and Firefox); the main thread then only draws the small bitmap, and the encoding
 * (convertToBlob/toBlob) runs off it as well.
 */
async function thumbnailBlob(file: File, width: number): Promise<Blob | null> {
  const bitmap = await createImageBitmap(file, { resizeWidth: width, resizeQuality: 'medium' });
  try {
    const { width: w, height: h } = bitmap;
    if (typeof OffscreenCanvas === 'function') {
      const canvas = new OffscreenCanvas(w, h);
      canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
      return await canvas.convertToBlob({ type: 'image/png' });
    }
    const canvas = Object.assign(document.createElement('canvas'), { width: w, height: h });
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
    return await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  } finally {
    bitmap.close();
  }
}

function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** One cache per page: rows of several widgets showing the same File share its preview. */
export const previews = new PreviewCache();
