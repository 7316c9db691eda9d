// The parts of s3rver 3.7.1 (no bundled types) that startS3Server uses.
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  interface KoaContext {
    method: string;
    path: string;
    query: Record<string, string | string[] | undefined>;
    status: number;
    type: string;
    body: unknown;
    set(name: string, value: string): void;
    get(name: string): string;
  }
  type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void> | void;

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  export default class S3rver {
    constructor(options: S3rverOptions);
    /** Koa's middleware list; composed when the server starts listening. */
    middleware: Middleware[];
    store: { getResourcePath(bucket: string, key: string | undefined, resource: string): string };
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
  export type { KoaContext, Middleware };
}
