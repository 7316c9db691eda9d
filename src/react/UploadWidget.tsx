import type { ReactNode } from 'react';
import type { Uploader, UploaderOptions } from '../index.js';
import { Dropzone } from './Dropzone.js';
import { FileList } from './FileList.js';
import { LocaleContext } from './format.js';
import { LiveRegion } from './LiveRegion.js';
import { UploadTotals } from './UploadTotals.js';
import { useUpload } from './useUpload.js';
import type { UseUploadConfig } from './useUpload.js';

export type UploadWidgetProps = {
  /** Accessible name of the widget. Default the locale's "File upload". */
  label?: string;
  /** Visible text of the drop area. */
  dropzoneText?: ReactNode;
  className?: string;
} & Pick<UseUploadConfig, 'accept' | 'multiple' | 'disabled' | 'locale' | 'restore'> &
  ({ options: UploaderOptions; uploader?: never } | { uploader: Uploader; options?: never });

/**
 * The ready-made widget: drop area, overall progress, the file list and announcements, in the
 * language of `locale` (parts rendered inside read it from LocaleContext). The memory meter is a
 * separate part (`<MemoryMeter uploader={...} />`), so apps that do not show it do not ship it.
 * Whether files start by themselves is the uploader's `autoStart` alone: a queued file that waits for
 * Start says so in its snapshot (`waiting: 'start'`), and the rows and Upload all follow that.
 */
export function UploadWidget(props: UploadWidgetProps) {
  const { dropzoneText, className, locale } = props;
  const source = props.uploader ?? props.options;
  // The props include the hook's config (accept, multiple, disabled, locale, restore).
  const upload = useUpload(source, props);
  const { files, totals, format } = upload;

  return (
    <LocaleContext.Provider value={format}>
      <section
        className={className ? `lu-uploader ${className}` : 'lu-uploader'}
        aria-label={props.label ?? format.t('widget')}
        lang={locale?.lang}
        dir={locale?.dir}
      >
        <Dropzone {...upload} disabled={props.disabled}>
          {dropzoneText}
        </Dropzone>
        {files.length > 0 && <UploadTotals files={files} totals={totals} actions={upload.uploader} />}
        {/* The uploader is a stable FileActions, so memoized rows do not re-render when the widget does. */}
        {files.length > 0 && <FileList files={files} actions={upload.uploader} />}
        <LiveRegion files={files} />
      </section>
    </LocaleContext.Provider>
  );
}
