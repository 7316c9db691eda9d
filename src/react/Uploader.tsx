import type { ReactNode } from 'react';
import type { Clock, Uploader as UploaderEngine, UploaderOptions } from '../index.js';
import { Dropzone } from './Dropzone.js';
import { FileList } from './FileList.js';
import { LocaleContext } from './format.js';
import { LiveRegion } from './LiveRegion.js';
import { UploadTotals } from './UploadTotals.js';
import { useUpload } from './useUpload.js';
import type { UseUploadConfig } from './useUpload.js';

export type UploaderProps = {
  /** Accessible name of the widget. Default the locale's "File upload". */
  label?: string;
  /** Visible text of the drop area. */
  dropzoneText?: ReactNode;
  /** Whether queued files start by themselves (offers Upload all when false); default from options, else true. */
  autoStart?: boolean;
  className?: string;
  throttleMs?: number;
  clock?: Clock;
} & Pick<UseUploadConfig, 'accept' | 'multiple' | 'disabled' | 'locale'> &
  ({ options: UploaderOptions; uploader?: never } | { uploader: UploaderEngine; options?: never });

/**
 * The ready-made widget: drop area, overall progress, the file list and announcements, in the
 * language of `locale` (parts rendered inside read it from LocaleContext). The memory meter is a
 * separate part (`<MemoryMeter uploader={...} />`), so apps that do not show it do not ship it.
 */
export function Uploader(props: UploaderProps) {
  const { dropzoneText, className, throttleMs, clock, locale } = props;
  const source = props.uploader ?? props.options;
  const upload = useUpload(source, { throttleMs, clock, accept: props.accept, multiple: props.multiple, disabled: props.disabled, locale });
  const { files, totals, format } = upload;
  const autoStart = props.autoStart ?? props.options?.autoStart ?? true;

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
        {files.length > 0 && <UploadTotals files={files} totals={totals} actions={upload.uploader} autoStart={autoStart} />}
        {/* The uploader is a stable FileActions, so memoized rows do not re-render when the widget does. */}
        {files.length > 0 && <FileList files={files} actions={upload.uploader} autoStart={autoStart} />}
        <LiveRegion files={files} />
      </section>
    </LocaleContext.Provider>
  );
}
