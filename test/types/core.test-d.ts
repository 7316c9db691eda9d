// Pins the public types of "lean-upload" (src/index.ts). Run by the 'types' project (vitest typecheck).
import { expectTypeOf } from 'vitest';
import { createUploader, isUploadError, tus, s3Multipart, resumablePut, UploadError, CONFIGURABLE_OPTIONS } from '../../src/index.js';
import type {
  AddResult,
  BatchSummary,
  ConfigurableOption,
  FileHandle,
  FileOutcome,
  FileSnapshot,
  FileStatus,
  MemorySnapshot,
  Protocol,
  Totals,
  Uploader,
  UploaderEvents,
  UploaderOptions,
  UploadErrorCode,
  UploadResult,
  UploadSnapshot,
  UploadWaiting,
} from '../../src/index.js';

test('createUploader takes options with a protocol and returns an Uploader', () => {
  expectTypeOf(createUploader).parameter(0).toEqualTypeOf<UploaderOptions>();
  expectTypeOf(createUploader).returns.toEqualTypeOf<Uploader>();
  expectTypeOf<UploaderOptions['protocol']>().toEqualTypeOf<Protocol>();
  expectTypeOf(tus).returns.toEqualTypeOf<Protocol>();
  expectTypeOf(s3Multipart).returns.toEqualTypeOf<Protocol>();
  expectTypeOf(resumablePut).returns.toEqualTypeOf<Protocol>();
  // @ts-expect-error a protocol is required
  createUploader({});
});

test('options: one name per idea, durations in ms and sizes in bytes as plain numbers', () => {
  expectTypeOf<UploaderOptions>().toHaveProperty('memoryBudget').toEqualTypeOf<number | undefined>();
  expectTypeOf<UploaderOptions>().toHaveProperty('partSize').toEqualTypeOf<number | undefined>();
  expectTypeOf<UploaderOptions>().toHaveProperty('maxPartSize').toEqualTypeOf<number | undefined>();
  expectTypeOf<UploaderOptions>().toHaveProperty('progressInterval').toEqualTypeOf<number | undefined>();
  expectTypeOf<UploaderOptions>().toHaveProperty('stallTimeout').toEqualTypeOf<number | undefined>();
  expectTypeOf<UploaderOptions>().toHaveProperty('responseTimeout').toEqualTypeOf<number | undefined>();
  expectTypeOf<UploaderOptions>().toHaveProperty('autoStart').toEqualTypeOf<boolean | undefined>();
  expectTypeOf<UploaderOptions>().toHaveProperty('checksum').toEqualTypeOf<'auto' | 'sha-256' | 'crc32' | 'crc32c' | 'crc64nvme' | false | undefined>();
  // Events are options too.
  expectTypeOf<UploaderOptions>().toExtend<UploaderEvents>();
});

test('the options that change live, and the list the hook pushes', () => {
  expectTypeOf<ConfigurableOption>().toEqualTypeOf<
    | 'restrictions'
    | 'concurrency'
    | 'headers'
    | 'metadata'
    | 'retry'
    | 'stallTimeout'
    | 'responseTimeout'
    | 'autoStart'
    | 'onBeforeFileAdded'
    | keyof UploaderEvents
  >();
  expectTypeOf(CONFIGURABLE_OPTIONS).toEqualTypeOf<readonly ConfigurableOption[]>();
  expectTypeOf<Uploader['configure']>().parameter(0).toEqualTypeOf<Partial<Pick<UploaderOptions, ConfigurableOption>>>();
});

test('the snapshot is readonly data: files, totals, memory', () => {
  expectTypeOf<UploadSnapshot>().toEqualTypeOf<{
    readonly files: readonly FileSnapshot[];
    readonly totals: Totals;
    readonly memory: MemorySnapshot;
  }>();
  expectTypeOf<FileStatus>().toEqualTypeOf<'checking' | 'queued' | 'uploading' | 'paused' | 'completed' | 'failed' | 'canceled' | 'rejected'>();
  expectTypeOf<UploadWaiting>().toEqualTypeOf<'offline' | 'other-tab' | 'start' | null>();
  expectTypeOf<FileSnapshot['error']>().toEqualTypeOf<UploadError | null>();
  expectTypeOf<FileSnapshot['result']>().toEqualTypeOf<UploadResult | null>();
  expectTypeOf<FileSnapshot['file']>().toEqualTypeOf<File | null>();
  expectTypeOf<Totals['eta']>().toEqualTypeOf<number | null>();
  // Readings of the pool: the option is memoryBudget, its reading memory.budgetBytes.
  expectTypeOf<MemorySnapshot['budgetBytes']>().toEqualTypeOf<number>();
  expectTypeOf<MemorySnapshot['inFlightBytes']>().toEqualTypeOf<number>();
});

test('actions: an id selects one file, no id means every file, remove included', () => {
  expectTypeOf<Uploader['start']>().toEqualTypeOf<(id?: string) => void>();
  expectTypeOf<Uploader['pause']>().toEqualTypeOf<(id?: string) => void>();
  expectTypeOf<Uploader['resume']>().toEqualTypeOf<(id?: string) => void>();
  expectTypeOf<Uploader['retry']>().toEqualTypeOf<(id?: string) => void>();
  expectTypeOf<Uploader['remove']>().toEqualTypeOf<(id?: string) => void>();
  expectTypeOf<Uploader['cancel']>().toEqualTypeOf<(id?: string) => Promise<void>>();
  expectTypeOf<Uploader['add']>().returns.toEqualTypeOf<AddResult>();
  expectTypeOf<AddResult['files']>().toEqualTypeOf<readonly FileHandle[]>();
  expectTypeOf<FileHandle['done']>().toEqualTypeOf<Promise<FileOutcome>>();
  expectTypeOf<Uploader['subscribe']>().toEqualTypeOf<(listener: () => void) => () => void>();
  expectTypeOf<Uploader['getSnapshot']>().returns.toEqualTypeOf<UploadSnapshot>();
});

test('events get snapshots, the result and the error', () => {
  expectTypeOf<NonNullable<UploaderEvents['onSuccess']>>().toEqualTypeOf<(file: FileSnapshot, result: UploadResult) => void>();
  expectTypeOf<NonNullable<UploaderEvents['onError']>>().toEqualTypeOf<(file: FileSnapshot, error: UploadError) => void>();
  expectTypeOf<NonNullable<UploaderEvents['onProgress']>>().toEqualTypeOf<(file: FileSnapshot) => void>();
  expectTypeOf<NonNullable<UploaderEvents['onComplete']>>().toEqualTypeOf<(summary: BatchSummary) => void>();
  expectTypeOf<FileOutcome['status']>().toEqualTypeOf<'completed' | 'canceled'>();
});

test('errors carry a string code and narrow with isUploadError', () => {
  expectTypeOf<UploadError['code']>().toEqualTypeOf<UploadErrorCode>();
  expectTypeOf<'network'>().toExtend<UploadErrorCode>();
  expectTypeOf<'stalled'>().toExtend<UploadErrorCode>();
  const error: unknown = null;
  if (isUploadError(error)) expectTypeOf(error).toEqualTypeOf<UploadError>();
});
