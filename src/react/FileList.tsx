import { useLayoutEffect, useRef, useState } from 'react';
import type { CSSProperties } from 'react';
import type { FileSnapshot } from '../index.js';
import { useFormat } from './format.js';
import { FileRow } from './FileRow.js';
import type { FileActions } from './FileRowActions.js';

export interface FileListProps {
  files: readonly FileSnapshot[];
  actions: FileActions;
  /** Accessible name of the list. */
  label?: string;
  /** Lists longer than this render only the rows in view. Default 100. */
  windowAbove?: number;
  /** Fixed row height in px when windowed (also sets --lu-row-height). Default 76. */
  rowHeight?: number;
  /** Height of the scrolling viewport in px when windowed, until it can be measured. Default 480. */
  viewportHeight?: number;
  /** Rows rendered beyond each edge of the viewport, so Tab reaches the next row. Default 4. */
  overscan?: number;
}

// Layout effects warn during server rendering; there is nothing to measure there anyway.
const useMeasureEffect = typeof document === 'undefined' ? () => undefined : useLayoutEffect;

/** Scroll position and viewport size of a windowed list. */
function useViewport(fallbackHeight: number) {
  const scroller = useRef<HTMLDivElement | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(fallbackHeight);
  useMeasureEffect(() => {
    const element = scroller.current;
    if (!element) return undefined;
    const measure = () => setHeight(element.clientHeight || fallbackHeight);
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [fallbackHeight]);
  return { scroller, scrollTop, height, onScroll: () => setScrollTop(scroller.current?.scrollTop ?? 0) };
}

/**
 * The files, each as a memoized FileRow. Long lists are windowed: a scrolling container of fixed-height
 * rows renders only those in view (plus overscan), with padding standing in for the rest, and
 * aria-setsize/aria-posinset telling assistive technology the true size.
 */
export function FileList(props: FileListProps) {
  const { t } = useFormat();
  const { files, actions, label = t('files'), windowAbove = 100, rowHeight = 76 } = props;
  const { viewportHeight = 480, overscan = 4 } = props;
  const windowed = files.length > windowAbove;
  const viewport = useViewport(viewportHeight);

  const first = windowed ? Math.max(0, Math.floor(viewport.scrollTop / rowHeight) - overscan) : 0;
  const last = windowed
    ? Math.min(files.length, Math.ceil((viewport.scrollTop + viewport.height) / rowHeight) + overscan)
    : files.length;
  const style = windowed
    ? ({
        '--lu-row-height': `${rowHeight}px`,
        paddingTop: first * rowHeight,
        paddingBottom: (files.length - last) * rowHeight,
      } as CSSProperties)
    : undefined;

  const rows = [];
  for (let index = first; index < last; index += 1) {
    const file = files[index];
    if (!file) continue;
    rows.push(
      <FileRow
        key={file.id}
        file={file}
        actions={actions}
        position={windowed ? index + 1 : undefined}
        setSize={windowed ? files.length : undefined}
      />,
    );
  }

  return (
    <div
      className="lu-file-list"
      data-windowed={windowed || undefined}
      ref={viewport.scroller}
      onScroll={windowed ? viewport.onScroll : undefined}
    >
      <ul aria-label={label} className="lu-file-items" style={style}>
        {rows}
      </ul>
    </div>
  );
}
