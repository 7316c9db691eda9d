import type { FileSnapshot, Totals, Uploader } from '../index.js';
import { FileList } from './FileList.js';
import { UploadTotals } from './UploadTotals.js';

export interface WidgetFilesProps {
  files: readonly FileSnapshot[];
  totals: Totals;
  actions: Uploader;
}

/**
 * What <UploadWidget> shows once it has files: overall progress and the list of rows (with their
 * actions, progress bars and thumbnails). Its own chunk, loaded through useWidgetFiles: a widget with
 * no files needs only the drop area and the live region.
 */
export function WidgetFiles({ files, totals, actions }: WidgetFilesProps) {
  return (
    <>
      <UploadTotals files={files} totals={totals} actions={actions} />
      {/* The uploader is a stable FileActions, so memoized rows do not re-render when the widget does. */}
      <FileList files={files} actions={actions} />
    </>
  );
}
