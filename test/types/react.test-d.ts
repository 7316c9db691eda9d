// Pins the public types of "lean-upload/react" (src/react.ts). Run by the 'types' project (vitest typecheck).
import type { ComponentProps } from 'react';
import { expectTypeOf } from 'vitest';
import { en, MemoryChart, MemoryMeter, shallowEqual, UploadWidget, useDropzone, useUpload, useUploadSelector, useUploadSnapshot } from '../../src/react.js';
import type {
  DropzoneState,
  FailureCode,
  FileSnapshot,
  Format,
  Locale,
  MemorySnapshot,
  Totals,
  UploadActions,
  UploadSnapshot,
  UploadWidgetProps,
  UseUploadConfig,
  UseUploadResult,
} from '../../src/react.js';
import { tus } from '../../src/index.js';
import type { UploadError, UploadErrorCode, Uploader, UploaderOptions } from '../../src/index.js';

declare const uploader: Uploader;
const options: UploaderOptions = { protocol: tus({ endpoint: '/files' }) };

test('useUpload takes options (owns an uploader) or an Uploader (borrows it)', () => {
  expectTypeOf(useUpload).parameter(0).toEqualTypeOf<UploaderOptions | Uploader>();
  expectTypeOf(useUpload).parameter(1).toEqualTypeOf<UseUploadConfig | undefined>();
  expectTypeOf(useUpload(options)).toEqualTypeOf<UseUploadResult>();
  expectTypeOf(useUpload(uploader)).toEqualTypeOf<UseUploadResult>();
});

test('the hook result: snapshot parts, the uploader, bound actions and the dropzone', () => {
  expectTypeOf<UseUploadResult['files']>().toEqualTypeOf<readonly FileSnapshot[]>();
  expectTypeOf<UseUploadResult['totals']>().toEqualTypeOf<Totals>();
  expectTypeOf<UseUploadResult['memory']>().toEqualTypeOf<MemorySnapshot>();
  expectTypeOf<UseUploadResult['snapshot']>().toEqualTypeOf<UploadSnapshot>();
  expectTypeOf<UseUploadResult['uploader']>().toEqualTypeOf<Uploader>();
  expectTypeOf<UseUploadResult>().toExtend<UploadActions>();
  expectTypeOf<UseUploadResult>().toExtend<DropzoneState>();
  expectTypeOf<UploadActions['remove']>().toEqualTypeOf<(id?: string) => void>();
  expectTypeOf<UploadActions['uploadAll']>().toEqualTypeOf<() => void>();
  expectTypeOf(useDropzone).returns.toEqualTypeOf<DropzoneState>();
});

test('no pacing or clock knobs on the hook: the engine paces (progressInterval)', () => {
  expectTypeOf<UseUploadConfig>().not.toHaveProperty('throttleMs');
  expectTypeOf<UseUploadConfig>().not.toHaveProperty('clock');
});

test('useUploadSelector infers what the selector returns', () => {
  expectTypeOf(useUploadSelector(uploader, (s) => s.totals.progress)).toEqualTypeOf<number>();
  expectTypeOf(useUploadSelector(uploader, (s) => s.memory)).toEqualTypeOf<MemorySnapshot>();
  expectTypeOf(useUploadSelector(uploader, (s) => s.files.map((f) => f.status), shallowEqual)).toEqualTypeOf<FileSnapshot['status'][]>();
  expectTypeOf(useUploadSelector(uploader, (s) => ({ n: s.totals.files }), (a, b) => a.n === b.n)).toEqualTypeOf<{ n: number }>();
  expectTypeOf(useUploadSnapshot(uploader)).toEqualTypeOf<UploadSnapshot>();
  // @ts-expect-error the equality function compares selections, not snapshots
  useUploadSelector(uploader, (s) => s.totals.progress, (a: UploadSnapshot, b: UploadSnapshot) => a === b);
});

test('the widget takes options or an uploader, never both, and no engine option of its own', () => {
  expectTypeOf<ComponentProps<typeof UploadWidget>>().toEqualTypeOf<UploadWidgetProps>();
  expectTypeOf<{ options: UploaderOptions }>().toExtend<UploadWidgetProps>();
  expectTypeOf<{ uploader: Uploader }>().toExtend<UploadWidgetProps>();
  expectTypeOf<{ options: UploaderOptions; uploader: Uploader }>().not.toExtend<UploadWidgetProps>();
  expectTypeOf<UploadWidgetProps>().not.toHaveProperty('autoStart');
  expectTypeOf<UploadWidgetProps>().not.toHaveProperty('throttleMs');
  expectTypeOf<UploadWidgetProps>().not.toHaveProperty('clock');
});

test('no clock prop on the memory parts (a test seam, not API)', () => {
  expectTypeOf<ComponentProps<typeof MemoryMeter>>().not.toHaveProperty('clock');
  expectTypeOf<ComponentProps<typeof MemoryChart>>().not.toHaveProperty('clock');
  expectTypeOf<ComponentProps<typeof MemoryChart>>().toHaveProperty('interval').toEqualTypeOf<number | undefined>();
});

test('a locale words every failure code: a locale without one is not a Locale', () => {
  expectTypeOf<keyof Locale['errors']>().toEqualTypeOf<FailureCode>();
  expectTypeOf<FailureCode>().toEqualTypeOf<Exclude<UploadErrorCode, 'aborted' | 'rejected-file'>>();
  const { unauthorized: _dropped, ...withoutOne } = en.errors;
  // @ts-expect-error 'unauthorized' has no words
  const incomplete: Locale = { ...en, errors: withoutOne };
  expectTypeOf(incomplete).toEqualTypeOf<Locale>();
  expectTypeOf<Format['failure']>().parameter(0).toEqualTypeOf<UploadError>();
});
