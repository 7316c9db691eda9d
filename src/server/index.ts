// lean-upload/server: Node (and Fetch-runtime) code for the app's backend. Browser entries never import it.
export { createS3Handler } from './s3/createS3Handler.js';
export type {
  S3AccessInput, S3Action, S3AuthorizeInput, S3AuthorizeResult, S3Handler, S3HandlerOptions, S3HandlerRequest,
} from './s3/createS3Handler.js';
export { S3HandlerError } from './s3/S3HandlerError.js';
