export { tus, type TusOptions } from './tus/tus.js';
export type { TusServerInfo } from './tus/discoverTus.js';
export { XhrHttpStack } from './http/XhrHttpStack.js';
export { sendRequest, noResponse, mergeHeaders } from './http/sendRequest.js';
export { resolveUrl, absoluteUrl } from './http/resolveUrl.js';
export { s3Multipart } from './s3/s3Multipart.js';
export type * from './s3/s3Types.js';
export { resumablePut, type ResumablePutOptions } from './resumablePut/resumablePut.js';
