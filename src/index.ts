// The public core API (package export "."). src/react imports core only through this file.
export { createUploader, CONFIGURABLE_OPTIONS, UPLOADER_DEFAULTS } from './core/createUploader.js';
export { UploadError, isUploadError, parseRetryAfter } from './core/UploadError.js';
// What a protocol of your own needs besides the port types (the in-repo ones use nothing else).
export { stripCredentials, withoutQuery } from './core/urls.js';
export { mergeRanges } from './core/PartPlanner.js';
export { onAbort } from './core/onAbort.js';
export { loadOnce } from './core/loadOnce.js';
export { toBase64 } from './core/base64.js';
export type { UploadErrorCode, UploadErrorOptions, ErrorRequest, ErrorResponse } from './core/UploadError.js';
export { BufferPool } from './core/BufferPool.js';
export { systemClock } from './core/systemClock.js';
export type { BufferLease, BufferPoolOptions } from './core/BufferPool.js';
export { defaultShouldRetry, retryDelay, RETRY_DEFAULTS } from './core/retryPolicy.js';
export { checkRestrictions, isAccepted } from './core/restrictions.js';
export { describeRejection, enRules, fill, formatBytes, numberFormat } from './core/locale.js';
export type { Plural, RuleTexts, Text, TextParams } from './core/locale.js';
export { fingerprint, localUrlStorage, memoryUrlStorage, resumeKey } from './core/resumeStorage.js';
export type * from './core/types.js';
export type * from './core/ports.js';
export type * from './core/events.js';
export type { FileHandleLike, HandleStore } from './core/handleStore.js';
export { indexedDbHandleStore } from './core/handleStore.js';
export * from './protocols/index.js';
export type { OnlineSource } from './core/onlineGate.js';
export type { UploadLocks } from './core/UploadLock.js';
