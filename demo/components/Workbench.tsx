import { useEffect, type ReactNode } from 'react';
import { MemoryMeter, UploadWidget, useUpload } from '../../src/react.js';
import type { FileSnapshot, Locale, UploaderOptions } from '../../src/react.js';
import { PageMemory } from './PageMemory.js';

export interface WorkbenchHandle {
  add(files: File[]): void;
}

interface WorkbenchProps {
  options: UploaderOptions;
  /** The widget's language; changes in place, without a new uploader. */
  locale: Locale;
  /** The page adds generated files through this. */
  onReady: (handle: WorkbenchHandle | null) => void;
  /** True while some file would be lost if the uploader were replaced. */
  onBusyChange: (busy: boolean) => void;
  /** More ways to add files, shown under the widget. */
  children?: ReactNode;
}

const UNFINISHED: ReadonlySet<FileSnapshot['status']> = new Set(['checking', 'queued', 'uploading', 'paused']);

/**
 * One uploader, shown twice: the widget on the left and its memory on the right. The page remounts
 * this component (key) to apply new settings, which destroys the old uploader and its pool.
 */
export function Workbench({ options, locale, onReady, onBusyChange, children }: WorkbenchProps) {
  const upload = useUpload(options);
  const { add, files, memory, uploader } = upload;
  const busy = files.some((file) => UNFINISHED.has(file.status));

  useEffect(() => {
    onReady({ add: (chosen) => void add(chosen) });
    return () => onReady(null);
  }, [add, onReady]);
  useEffect(() => onBusyChange(busy), [busy, onBusyChange]);

  return (
    <div className="workbench">
      <div className="panel">
        <h2>Files</h2>
        <p className="panel-intro">
          {options.autoStart === false
            ? 'Choose files of any size; they wait for “Upload all” (a waiting file is removed in one step).'
            : 'Choose files of any size; they upload as soon as they are added.'}
        </p>
        <UploadWidget uploader={uploader} locale={locale} />
        {children}
      </div>
      <div className="panel memory-panel">
        <h2>Memory held by the library</h2>
        <MemoryMeter memory={memory} label="Memory held by the library" />
        <p className="chart-legend" aria-hidden="true">
          <span className="legend-line">bytes in flight</span>
          <span className="legend-budget">memory budget</span>
        </p>
        <PageMemory />
      </div>
    </div>
  );
}
