import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { Uploader, UploadSnapshot } from '../index.js';

/** The last snapshot seen and what was selected from it, so an unchanged snapshot selects nothing new. */
interface Selected<T> {
  readonly snapshot: UploadSnapshot;
  readonly select: (snapshot: UploadSnapshot) => T;
  readonly value: T;
}

/**
 * Reads one piece of the uploader's state and re-renders only when that piece changes:
 * `useUploadSelector(uploader, (s) => s.totals.progress)`. `equals` decides "changed" (default
 * Object.is; pass `shallowEqual` for a selector that builds an object or array each time).
 *
 * Pacing is the engine's alone (`progressInterval`): the hook renders every notification whose
 * selection changed, so there is one knob for how often progress moves, not one per layer.
 */
export function useUploadSelector<T>(
  uploader: Uploader,
  select: (snapshot: UploadSnapshot) => T,
  equals: (a: T, b: T) => boolean = Object.is,
): T {
  const last = useRef<Selected<T> | null>(null);
  const subscribe = useCallback((onChange: () => void) => uploader.subscribe(onChange), [uploader]);
  // Inline selectors are new functions each render; that costs one select() call, never a re-render,
  // because an equal answer keeps the previous value (the with-selector pattern of use-sync-external-store).
  const getSelection = (): T => {
    const snapshot = uploader.getSnapshot();
    const previous = last.current;
    if (previous && previous.snapshot === snapshot && previous.select === select) return previous.value;
    const value = select(snapshot);
    const kept = previous && equals(previous.value, value) ? previous.value : value;
    last.current = { snapshot, select, value: kept };
    return kept;
  };
  return useSyncExternalStore(subscribe, getSelection, getSelection);
}

/**
 * The whole snapshot (files, totals, memory); re-renders on every change the engine publishes.
 * Read directly (no selection to keep): the snapshot is immutable and replaced on each change.
 */
export function useUploadSnapshot(uploader: Uploader): UploadSnapshot {
  const subscribe = useCallback((onChange: () => void) => uploader.subscribe(onChange), [uploader]);
  const read = useCallback(() => uploader.getSnapshot(), [uploader]);
  return useSyncExternalStore(subscribe, read, read);
}

/** Equal when both are the same, or arrays / plain objects whose items or own keys are Object.is equal. */
export function shallowEqual<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && Object.is(left[key], right[key]));
}
