import type { Readable } from 'node:stream';
import { TusChecksumStore } from '../../src/server/tusChecksumStore.js';
import type { InstrumentedFileStore } from './InstrumentedFileStore.js';
import { tusRequestContext } from './tusRequestContext.js';

/**
 * The demo's verifying store: lean-upload/server's TusChecksumStore over the instrumented FileStore.
 * Injected body faults (TusFaults: corrupt, stall) belong to the wire, so they apply before the digest
 * is checked, as a corrupting network would; the wrapped store then sees the body unchanged (wrapBody
 * applies once per request).
 */
export class ChecksumFileStore extends TusChecksumStore<InstrumentedFileStore> {
  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    const context = tusRequestContext.getStore();
    try {
      return await super.write(context ? context.wrapBody(stream) : stream, id, offset);
    } catch (error) {
      // The FileStore counted what it wrote; a refused body was cut back off the file, so none was kept.
      if (context && context.bytesStored > 0) {
        const written = context.bytesStored;
        context.bytesStored = 0;
        context.onStored(-written);
      }
      throw error;
    }
  }
}
