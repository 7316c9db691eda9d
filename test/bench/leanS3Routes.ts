import { randomUUID } from 'node:crypto';
import { createS3Handler } from '../../src/server/index.js';
import type { LeanRoutesFactory } from './s3Side.js';

/**
 * lean-upload's S3 JSON API for the bench: the project's own signing handler (lean-upload/server)
 * on the bench's S3 client, so it signs with the same AWS SDK client and credentials as the signer
 * @uppy/aws-s3 calls. Every upload is allowed (the bench is its only user).
 */
export function leanS3Routes(): LeanRoutesFactory {
  return (client, bucket, route, signer) => {
    const handler = createS3Handler({
      bucket,
      client,
      // Presigned URLs name the link's forward of the engine; create and complete go to it directly,
      // as an app server's calls to S3 never cross its users' uplinks.
      signingClient: signer,
      route,
      authorize: ({ filename }) => ({ key: `${randomUUID()}/${filename}` }),
      mayAccess: () => true,
      // Swift 2.30's s3api refuses part checksums in CompleteMultipartUpload (MalformedXML).
      completeWithPartChecksums: false,
    });
    return (req, res) => {
      if (!handler.node(req, res)) res.writeHead(404).end();
    };
  };
}
