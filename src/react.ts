/** The React entry ("lean-upload/react"): the hook, the widget, its parts and their types. */
import './react/lean-upload.css';

export { useUpload } from './react/useUpload.js';
export type { UploadActions, UseUploadConfig, UseUploadResult } from './react/useUpload.js';
export { useDropzone, composeHandlers } from './react/useDropzone.js';
export type { DropzoneState, DropzoneOptions, InputProps, RootProps } from './react/useDropzone.js';
export { useUploadSelector, useUploadSnapshot, shallowEqual } from './react/useUploadSelector.js';
export { readDroppedFiles, relativePathOf } from './react/readDroppedFiles.js';
export type { DroppedData } from './react/readDroppedFiles.js';

export { UploadWidget } from './react/UploadWidget.js';
export { loadWidgetFiles as preloadUploadWidget } from './react/useWidgetFiles.js';
export type { UploadWidgetProps } from './react/UploadWidget.js';
export { Dropzone } from './react/Dropzone.js';
export type { DropzoneProps } from './react/Dropzone.js';
export { FileList } from './react/FileList.js';
export type { FileListProps } from './react/FileList.js';
export { FileRow } from './react/FileRow.js';
export type { FileRowProps } from './react/FileRow.js';
export { FileRowActions } from './react/FileRowActions.js';
export type { FileActions, FileRowActionsProps } from './react/FileRowActions.js';
export { UploadTotals } from './react/UploadTotals.js';
export type { UploadTotalsProps } from './react/UploadTotals.js';
export { Thumbnail, usePreview, isPreviewable, fileKind } from './react/Thumbnail.js';
export type { ThumbnailProps } from './react/Thumbnail.js';
export { ProgressBar } from './react/ProgressBar.js';
export type { ProgressBarProps } from './react/ProgressBar.js';
export { LiveRegion, describeOutcome } from './react/LiveRegion.js';
export type { LiveRegionProps } from './react/LiveRegion.js';
export { MemoryMeter } from './react/MemoryMeter.js';
export type { MemoryMeterProps } from './react/MemoryMeter.js';
export { MemoryChart } from './react/MemoryChart.js';
export type { MemoryChartProps, MemorySample } from './react/MemoryChart.js';
export { formatBytes, formatEta, formatSpeed, progressText, statusLabels, toPercent } from './react/format.js';
export { createFormat, LocaleContext, useFormat } from './react/format.js';
export type { Format } from './react/format.js';
export { en } from './react/locale.js';
export type { FailureCode, Locale, Words } from './react/locale.js';

export type {
  FileSnapshot,
  FileStatus,
  MemorySnapshot,
  Totals,
  UploaderOptions,
  UploadSnapshot,
} from './index.js';
