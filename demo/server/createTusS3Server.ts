import { S3Store } from '@tus/s3-store';
import { Server } from '@tus/server';
import type { SwiftS3 } from './swift/startSwift.js';

export interface TusS3Options {
  /** Route of the tus endpoint, e.g. '/files-s3'. */
  route: string;
  swift: Pick<SwiftS3, 'endpoint' | 'region' | 'credentials'>;
  bucket: string;
  /** S3 part size of the store (S3's minimum, 5 MiB, at least). Default 8 MiB. */
  partSize?: number;
}

/**
 * A real @tus/server whose uploads live on the S3 engine (through @tus/s3-store), not on this machine's
 * disk: any number of such servers can serve the same upload, one request here, the next there.
 * Tags off (Swift's S3 API has no object tagging); checksums only where S3 requires them, as for any
 * non-AWS engine.
 */
export function createTusS3Server(options: TusS3Options): Server {
  const { swift } = options;
  const datastore = new S3Store({
    partSize: options.partSize ?? 8 * 1024 * 1024,
    useTags: false,
    s3ClientConfig: {
      bucket: options.bucket,
      endpoint: swift.endpoint,
      region: swift.region,
      credentials: swift.credentials,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    },
  });
  return new Server({ path: options.route, datastore });
}
