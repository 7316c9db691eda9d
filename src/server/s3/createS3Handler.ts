import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { S3HandlerError } from './S3HandlerError.js';
import { routeS3Request, type S3Action } from './routeS3Request.js';
import { expressAdapter, fetchAdapter, nodeAdapter, type HandlerCore, type S3HandlerRequest } from './adapters.js';

export type { S3HandlerRequest, S3Action };

/** What `authorize` sees: the incoming request and what the page says about the file. */
export interface S3AuthorizeInput {
  request: S3HandlerRequest;
  filename: string;
  size: number;
  type: string;
  metadata: Record<string, string>;
  /** 'multipart' for CreateMultipartUpload, 'object' for a single presigned PutObject. */
  kind: 'multipart' | 'object';
}

/** The key the file gets, and extra S3 metadata (the original name is always kept, as `filename`). */
export interface S3AuthorizeResult {
  key: string;
  metadata?: Record<string, string>;
}

/** A later call on an existing key: may this caller touch it? */
export interface S3AccessInput {
  request: S3HandlerRequest;
  action: S3Action;
  key: string;
  /** Absent for a single PutObject signed again for its key. */
  uploadId?: string;
}

export interface S3HandlerOptions {
  bucket: string;
  /** An S3 client of the app's, or the config of one. A config gets `requestChecksumCalculation` and
   * `responseChecksumValidation` 'WHEN_REQUIRED' (non-AWS engines need them) unless it says otherwise. */
  client?: S3Client;
  s3?: S3ClientConfig;
  /** Path prefix the routes live under, e.g. '/s3' or '/api/s3'. Express: the path given to app.use is
   * already stripped, so leave this out there. Default ''. */
  route?: string;
  /** Per new upload: who may upload what, and under which key. `false` refuses (403); throw an
   * S3HandlerError to refuse with your own status. */
  authorize(input: S3AuthorizeInput): S3AuthorizeResult | false | Promise<S3AuthorizeResult | false>;
  /** Per later call (sign a part, list, complete, abort, sign a PutObject again): may this caller touch
   * this key? The page names the key and upload id, so this check is what keeps one user off another's. */
  mayAccess(input: S3AccessInput): boolean | Promise<boolean>;
  /** Lifetime of a presigned URL in seconds. Default 900. */
  expiresIn?: number;
  /** MaxParts per ListParts page; the handler pages until the end. Default 1000 (S3's maximum). */
  listPartsPageSize?: number;
  /**
   * Pass the parts' checksums (sent by the page) to CompleteMultipartUpload. AWS requires them for an
   * upload created with a checksum algorithm; engines whose S3 API predates additional checksums refuse
   * them as MalformedXML (OpenStack Swift 2.30's s3api), so set false there. Default true.
   */
  completeWithPartChecksums?: boolean;
}

export interface S3Handler {
  /** Node `http`: true when the request was one of the handler's routes (it answers it). */
  node(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): boolean;
  /** Express/Connect middleware: other paths go to `next`. */
  express(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: (error?: unknown) => void): void;
  /** Fetch API (Next.js route handlers, Hono, Deno, Bun): 404 for paths that are not the handler's. */
  fetch(request: Request): Promise<Response>;
  /** Ends the S3 client the handler made from `s3` (not one passed as `client`). */
  destroy(): void;
}

/**
 * The signing backend of the README's S3 JSON API, built on the AWS SDK: the page never holds a
 * credential, and every call is checked (authorize for new uploads, mayAccess for the rest).
 */
export function createS3Handler(options: S3HandlerOptions): S3Handler {
  const own = options.client ? undefined : new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED', ...options.s3 });
  const client = options.client ?? own!;
  const target = {
    client,
    bucket: options.bucket,
    expiresIn: options.expiresIn ?? 900,
    listPartsPageSize: Math.min(Math.max(Math.trunc(options.listPartsPageSize ?? 1000), 1), 1000),
    completeWithPartChecksums: options.completeWithPartChecksums ?? true,
  };
  const route = (options.route ?? '').replace(/\/+$/, '');
  const core: HandlerCore = {
    // Ours: {route}/object, {route}/multipart and {route}/multipart/...; the rest goes to the app.
    match(pathname) {
      if (!pathname.startsWith(`${route}/`)) return null;
      const rest = pathname.slice(route.length);
      return rest === '/object' || rest === '/multipart' || rest.startsWith('/multipart/') ? rest : null;
    },
    async handle(request, rest, readJson) {
      try {
        return await routeS3Request({ target, options, request, rest, readJson });
      } catch (error) {
        if (error instanceof S3HandlerError) return { status: error.status, body: error.toJSON() };
        // An app error that is not an S3HandlerError: its message may hold anything, so it stays here.
        return { status: 500, body: { error: 'The S3 signing backend failed', code: 'InternalError' } };
      }
    },
  };
  return {
    node: nodeAdapter(core),
    express: expressAdapter(core),
    fetch: fetchAdapter(core),
    destroy: () => own?.destroy(),
  };
}
