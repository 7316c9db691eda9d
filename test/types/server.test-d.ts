// Pins the main public types of "lean-upload/server" (src/server/index.ts).
import { expectTypeOf } from 'vitest';
import { createS3Handler, S3HandlerError, TusChecksumStore } from '../../src/server/index.js';
import type { S3AuthorizeInput, S3AuthorizeResult, S3Handler, S3HandlerOptions } from '../../src/server/index.js';

test('createS3Handler: options in, a handler for Node, Express and Fetch out', () => {
  expectTypeOf(createS3Handler).parameter(0).toEqualTypeOf<S3HandlerOptions>();
  expectTypeOf(createS3Handler).returns.toEqualTypeOf<S3Handler>();
  expectTypeOf<S3HandlerOptions['bucket']>().toEqualTypeOf<string>();
  expectTypeOf<S3HandlerOptions['authorize']>().toEqualTypeOf<
    (input: S3AuthorizeInput) => S3AuthorizeResult | false | Promise<S3AuthorizeResult | false>
  >();
  expectTypeOf<S3Handler['fetch']>().toEqualTypeOf<(request: Request) => Promise<Response>>();
  expectTypeOf<S3Handler['destroy']>().toEqualTypeOf<() => void>();
  expectTypeOf<S3HandlerError>().toExtend<Error>();
  expectTypeOf(TusChecksumStore).constructorParameters.toExtend<[unknown, ...unknown[]]>();
});
