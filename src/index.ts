// The public core API (package export "."). src/react imports core only through this file.
export { createUploader, CONFIGURABLE_OPTIONS, UPLOADER_DEFAULTS } from './core/createUploader.js';
export { UploadError, isUploadError, parseRetryAfter, stripCredentials } from './core/UploadError.js';
export type { UploadErrorCode, UploadErrorOptions, ErrorRequest, ErrorResponse } from './core/UploadError.js';
export { BufferPool } from './core/BufferPool.js';
export { systemClock } from './core/systemClock.js';
export type { BufferLease, BufferPoolOptions } from './core/BufferPool.js';
export { defaultShouldRetry, retryDelay, RETRY_DEFAULTS } from './core/retryPolicy.js';
export { checkRestrictions, isAccepted, formatBytes } from './core/restrictions.js';
export { fingerprint, localUrlStorage, memoryUrlStorage, resumeKey } from './core/resumeStorage.js';
export type * from './core/types.js';
export type * from './core/ports.js';
export type * from './core/events.js';
export type { FileHandleLike, HandleStore } from './core/handleStore.js';
export { indexedDbHandleStore } from './core/handleStore.js';
export * from './protocols/index.js';
