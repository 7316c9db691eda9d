import { act, render } from '@testing-library/react';
import { tus } from '../../src/index.js';
import { FileList, UploadWidget } from '../../src/react.js';
import '../../src/react/lean-upload.css';
import { type ImageCall, watchPreviewWork } from './longTasks.js';
import { widgetTestUploaders } from './widgetHarness.js';

const uploaders = widgetTestUploaders();

/** `count` distinct JPEG photos-to-be (1600×1200, large enough that decoding one costs real time). */
async function jpegs(count: number, distinct = 8): Promise<File[]> {
  const blobs: Blob[] = [];
  for (let i = 0; i < distinct; i++) {
    const canvas = new OffscreenCanvas(1600, 1200);
    const context = canvas.getContext('2d')!;
    const gradient = context.createLinearGradient(0, 0, 1600, 1200);
    gradient.addColorStop(0, `hsl(${i * 45}, 80%, 50%)`);
    gradient.addColorStop(1, `hsl(${i * 45 + 120}, 80%, 30%)`);
    context.fillStyle = gradient;
    context.fillRect(0, 0, 1600, 1200);
    // Noise, so the JPEG is not trivially small and decoding it is real work.
    for (let k = 0; k < 4000; k++) {
      context.fillStyle = `rgba(${(k * 37) % 255}, ${(k * 91) % 255}, ${(k * 13) % 255}, 0.5)`;
      context.fillRect((k * 7919) % 1600, (k * 104729) % 1200, 9, 9);
    }
    blobs.push(await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 }));
  }
  // Distinct File objects: each gets its own decode, as 200 chosen photos would.
  return Array.from({ length: count }, (_, i) => new File([blobs[i % distinct]!], `photo-${i}.jpg`, { type: 'image/jpeg' }));
}

/** Main-thread pixel work beyond a thumbnail: a draw from a source wider than 56 px, or a pixel read. */
const bigDraws = (calls: readonly ImageCall[]) =>
  calls.filter((call) => call.name === 'getImageData' || (call.name === 'drawImage' && (call.width ?? Infinity) > 56));

// Tests compare counts, never the element arrays: a failed waitFor check would pretty-print 200 DOM
// nodes, a long task of the test's own.
const previewsIn = (root: ParentNode) => [...root.querySelectorAll<HTMLImageElement>('img[data-preview]')];

describe('thumbnails in Chromium', () => {
  test('the watch works on this page: a full-size image scaled on the main thread is seen, structurally and as a long task', async () => {
    expect(PerformanceObserver.supportedEntryTypes).toContain('longtask');
    const [photo] = await jpegs(1, 1);
    const bitmap = await createImageBitmap(photo!);
    const watch = await watchPreviewWork();
    // What a preview must never do: scale a big image with the main thread and read its pixels.
    const context = new OffscreenCanvas(56, 42).getContext('2d')!;
    const end = performance.now() + 120;
    do {
      context.drawImage(bitmap, 0, 0, 56, 42);
      context.getImageData(0, 0, 56, 42);
    } while (performance.now() < end);
    bitmap.close();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect((await watch.stop()).ours.length).toBeGreaterThanOrEqual(1);
    expect(bigDraws(watch.calls)).not.toEqual([]);
  });

  test('200 images added to the widget: the main thread draws only small bitmaps, no long task of preview work', async () => {
    const files = await jpegs(200);
    const uploader = uploaders.create({ protocol: tus({ endpoint: '/files' }), autoStart: false });
    const view = render(<UploadWidget uploader={uploader} />);
    const watch = await watchPreviewWork();
    act(() => void uploader.add(files));
    await vi.waitFor(
      () => {
        const rows = view.container.querySelectorAll('li.lu-file').length;
        expect(rows).toBeGreaterThan(4);
        expect(previewsIn(view.container).length).toBe(rows);
      },
      { timeout: 30_000, interval: 50 },
    );
    const { ours, all } = await watch.stop();
    expect(ours).toEqual([]);
    expect(bigDraws(watch.calls)).toEqual([]);
    // Only the rows in view (the list is windowed above 100 files) were decoded, each resized by the decoder.
    const decodes = watch.calls.filter((call) => call.name === 'createImageBitmap');
    expect(decodes.length).toBe(previewsIn(view.container).length);
    expect(decodes.every((call) => call.width === 56)).toBe(true);
    console.info(`long tasks while 200 images were added (any cause, shared machine): [${all.join(', ')}] ms`);
  });

  test('200 rows decoding at once: at most 2 decodes run together, small draws only, no long task of preview work, each preview a small PNG', async () => {
    const files = await jpegs(200);
    const uploader = uploaders.create({ protocol: tus({ endpoint: '/files' }), autoStart: false });
    act(() => void uploader.add(files));
    const watch = await watchPreviewWork();
    // Every row rendered (no windowing), so all 200 previews are decoded.
    const view = render(<FileList files={uploader.getSnapshot().files} actions={uploader} windowAbove={1000} />);
    await vi.waitFor(() => expect(previewsIn(view.container).length).toBe(200), { timeout: 60_000, interval: 100 });
    const { ours } = await watch.stop();
    expect(ours).toEqual([]);
    expect(bigDraws(watch.calls)).toEqual([]);
    expect(watch.stats.decodes).toBe(200);
    expect(watch.stats.maxInFlight).toBeLessThanOrEqual(2);
    const blob = await (await fetch(previewsIn(view.container)[0]!.src)).blob();
    expect(blob.type).toBe('image/png');
    const bitmap = await createImageBitmap(blob);
    // Decoded at twice the 28 px it is shown at; the 1600×1200 source keeps its aspect ratio.
    expect([bitmap.width, bitmap.height]).toEqual([56, 42]);
    bitmap.close();
  });

  test('a removed row lets go of its preview; unmounting empties the cache; no object URL is ever made', async () => {
    const { previews } = await import('../../src/react/PreviewCache.js');
    const createObjectURL = vi.spyOn(URL, 'createObjectURL');
    const uploader = uploaders.create({ protocol: tus({ endpoint: '/files' }), autoStart: false });
    const view = render(<UploadWidget uploader={uploader} />);
    const files = [...(await jpegs(3, 3)), new File(['%PDF-1.4'], 'notes.pdf', { type: 'application/pdf' })];
    const { files: handles } = uploader.add(files);
    await vi.waitFor(() => expect(previewsIn(view.container).length).toBe(3), { timeout: 20_000 });
    // Not an image: an icon naming its kind instead, and no preview held for it.
    expect(view.container.querySelector('.lu-thumb[data-kind="PDF"]')?.textContent).toBe('PDF');
    expect(previews.size).toBe(3);
    expect(previewsIn(view.container)[0]!.src).toMatch(/^data:image\/png;base64,/);

    await uploader.cancel(handles[0]!.id);
    act(() => uploader.remove(handles[0]!.id));
    await vi.waitFor(() => expect(previews.size).toBe(2));
    expect(previewsIn(view.container).length).toBe(2);

    view.unmount();
    await vi.waitFor(() => expect(previews.size).toBe(0));
    // Nothing to revoke: object URLs would pin each Blob in the browser process until revoked.
    expect(createObjectURL).not.toHaveBeenCalled();
    createObjectURL.mockRestore();
  });
});
