import { S3Client } from '@aws-sdk/client-s3';
import { S3HandlerError } from './S3HandlerError.js';
import { routeS3Request } from './routeS3Request.js';
import { expressAdapter, fetchAdapter, nodeAdapter, type HandlerCore } from './adapters.js';
import type { S3HandlerOptions } from './s3HandlerOptions.js';

export type { S3AccessInput, S3Action, S3AuthorizeInput, S3AuthorizeResult, S3HandlerOptions, S3HandlerRequest } from './s3HandlerOptions.js';

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
    signer: options.signingClient ?? client,
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
        const known = error instanceof S3HandlerError;
        if (!known || error.status >= 500) options.onError?.(error, request);
        if (known) return { status: error.status, body: error.toJSON() };
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
