import type { LeanRoutesFactory } from './s3Side.js';

/**
 * lean-upload's S3 JSON API for the bench, from the project's own signing handler (lean-upload/server),
 * or the reason it cannot run yet.
 */
export function leanS3Routes(): LeanRoutesFactory | string {
  return "lean-upload's S3 signing handler (src/server) is not on this branch yet";
}
