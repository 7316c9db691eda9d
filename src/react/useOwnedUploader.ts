import { useEffect, useReducer, useRef } from 'react';
import type { RefObject } from 'react';
import { createUploader } from '../index.js';
import type { Uploader, UploaderOptions } from '../index.js';
import { syncOptions } from './syncOptions.js';

/** Options create an uploader the hook owns; an Uploader instance is borrowed and never destroyed. */
export function isUploader(source: UploaderOptions | Uploader): source is Uploader {
  return typeof (source as Partial<Uploader>).getSnapshot === 'function';
}

interface Owned {
  readonly uploader: Uploader;
  /** The options last pushed into it (at first, those it was created with). */
  options: UploaderOptions;
  /** The fixed options already warned about (development only: made by the first warning). */
  warned?: Set<string>;
  destroyed: boolean;
  /** Set by an effect cleanup; a re-run of the effect before the microtask clears it. */
  destroyPending: boolean;
}

function ownedUploader(ref: RefObject<Owned | null>, options: UploaderOptions): Uploader {
  if (ref.current === null || ref.current.destroyed) {
    ref.current = { uploader: createUploader(options), options, destroyed: false, destroyPending: false };
  }
  return ref.current.uploader;
}

/**
 * Returns the uploader for `source`, creating it at most once per mounted component, and after each
 * commit pushes the live options that changed into the uploader it owns (`configure()`).
 *
 * Why a ref and not a useState initializer or useMemo: StrictMode calls those twice on mount and
 * would create (and leak) a second uploader, while the ref persists across its double render.
 * Why the deferred destroy: StrictMode runs every effect's cleanup and setup again right after
 * mounting, synchronously; destroying in the cleanup would kill the uploader mid-life. The cleanup
 * only marks it, and a microtask destroys it unless the setup ran again in between.
 */
export function useOwnedUploader(source: UploaderOptions | Uploader): Uploader {
  const owned = useRef<Owned | null>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const borrowed = isUploader(source);
  const uploader = borrowed ? source : ownedUploader(owned, source);

  useEffect(() => {
    const mine = owned.current;
    if (borrowed || mine?.uploader !== uploader || mine.options === source) return;
    syncOptions(uploader, mine.options, source, mine);
    mine.options = source;
  });

  useEffect(() => {
    const mine = owned.current;
    if (!mine || mine.uploader !== uploader) return undefined;
    if (mine.destroyed) {
      // Effects set up again after a real cleanup (an <Activity> hidden then shown): start afresh.
      owned.current = null;
      rerender();
      return undefined;
    }
    mine.destroyPending = false;
    return () => {
      mine.destroyPending = true;
      queueMicrotask(() => {
        if (!mine.destroyPending || mine.destroyed) return;
        mine.destroyed = true;
        mine.uploader.destroy();
      });
    };
  }, [uploader]);

  return uploader;
}
