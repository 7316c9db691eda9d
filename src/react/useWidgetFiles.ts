import { useCallback, useEffect, useReducer } from 'react';
import { loadOnce } from '../index.js';
import type { WidgetFiles } from './WidgetFiles.js';

/**
 * Loading <UploadWidget>'s file panel (totals and rows: more than half of the widget's code) apart from
 * the widget, so an app's startup code holds only the drop area. Module state: one load per page,
 * shared by every widget; once loaded, the panel renders synchronously, with no Suspense fallback and
 * no frame without it. Not React.lazy: that suspends once more in the first render after the load.
 */
let loaded: typeof WidgetFiles | undefined;

/**
 * Starts the load (once); resolves when the panel is there. Public as `preloadUploadWidget`: server
 * rendering awaits it before rendering a widget with files, and a page whose widget mounts with files
 * already in its uploader (restored uploads) can start it early so the rows come with the first render.
 * A failed fetch (offline, a deploy that replaced the chunk) is forgotten and tried again at the next
 * sign of use.
 */
export const loadWidgetFiles = loadOnce(() =>
  import('./WidgetFiles.js').then((module) => {
    loaded = module.WidgetFiles;
  }),
);

const reportLoadError = (error: unknown) => globalThis.reportError?.(error);

/**
 * The panel once loaded, else undefined. `needed` (the widget has files) loads it and re-renders the
 * widget when it is there; `prefetch` is for signs that files are coming (a pointer or a drag over the
 * widget, focus inside it), so the rows are ready when the first file is added.
 */
export function useWidgetFiles(needed: boolean): { Panel: typeof WidgetFiles | undefined; prefetch: () => void } {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const prefetch = useCallback(() => {
    if (!loaded) loadWidgetFiles().then(rerender, reportLoadError);
  }, []);
  useEffect(() => {
    if (needed) prefetch();
  }, [needed, prefetch]);
  return { Panel: loaded, prefetch };
}
