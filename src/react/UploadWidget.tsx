import type { ReactNode } from 'react';
import type { Uploader, UploaderOptions } from '../index.js';
import { Dropzone } from './Dropzone.js';
import { LocaleContext } from './format.js';
import { LiveRegion } from './LiveRegion.js';
import { useUpload } from './useUpload.js';
import type { UseUploadConfig } from './useUpload.js';
import { useWidgetFiles } from './useWidgetFiles.js';

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
 * The totals and rows are a chunk of their own (useWidgetFiles), fetched when files are on their way
 * or there; the drop area and the live region (which must be in the page before it speaks) are not.
 */
export function UploadWidget(props: UploadWidgetProps) {
  const { dropzoneText, className, locale } = props;
  const source = props.uploader ?? props.options;
  // The props include the hook's config (accept, multiple, disabled, locale, restore).
  const upload = useUpload(source, props);
  const { files, totals, format } = upload;
  const { Panel, prefetch } = useWidgetFiles(files.length > 0);

  return (
    <LocaleContext.Provider value={format}>
      <section
        className={className ? `lu-uploader ${className}` : 'lu-uploader'}
        aria-label={props.label ?? format.t('widget')}
        lang={locale?.lang}
        dir={locale?.dir}
        onPointerEnter={prefetch}
        onDragEnter={prefetch}
        onFocus={prefetch}
      >
        <Dropzone {...upload} disabled={props.disabled}>
          {dropzoneText}
        </Dropzone>
        {files.length > 0 && Panel && <Panel files={files} totals={totals} actions={upload.uploader} />}
        <LiveRegion files={files} />
      </section>
    </LocaleContext.Provider>
  );
}
