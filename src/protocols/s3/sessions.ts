// The S3 sessions, one chunk loaded by s3Multipart() when a file is added (its preload) or opened:
// a page's first paint does without them.
export { S3MultipartSession } from './S3MultipartSession.js';
export { S3PutSession } from './S3PutSession.js';
