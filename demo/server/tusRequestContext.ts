import { AsyncLocalStorage } from 'node:async_hooks';
import type { Readable } from 'node:stream';

/**
 * What the store needs to know about the request whose body it is writing. @tus/server calls
 * `store.write(stream, id, offset)` without the request, so the handler runs each request inside
 * this context and the store reads it: per request, never per upload id, so a retried PATCH can
 * never pick up the header of the one it replaced.
 */
export interface TusRequestContext {
  readonly method: string;
  /** The X-Test-Scope request header (see TusFaults). */
  readonly scope: string | null;
  /** The Upload-Checksum request header, if any. */
  readonly uploadChecksum: string | null;
  /**
   * Aborted when nothing should wait any longer for this request: the client hung up, tus aborted
   * the request, another request asked for the upload's lock, or the server is closing.
   */
  readonly stop: AbortSignal;
  /** Abort `stop`. */
  interrupt(): void;
  /** Fault hooks wrapped around the body before the store sees it. */
  readonly wrapBody: (body: Readable) => Readable;
  /** Bytes the store kept from this request. */
  bytesStored: number;
  /** Told of bytes stored after the request was logged. */
  onStored: (bytes: number) => void;
}

export const tusRequestContext = new AsyncLocalStorage<TusRequestContext>();
