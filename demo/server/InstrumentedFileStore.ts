import type { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import { tusRequestContext } from './tusRequestContext.js';

/**
 * @tus/file-store's FileStore, unchanged on the wire, that lets tests see how many bytes each
 * request stored and inject faults into a body (see TusFaults). Without injected faults it is
 * exactly a FileStore.
 */
export class InstrumentedFileStore extends FileStore {
  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const context = tusRequestContext.getStore();
    const body = context ? context.wrapBody(readable) : readable;
    const end = await this.writeBody(body, id, offset);
    if (context) {
      context.bytesStored += end - offset;
      context.onStored(end - offset);
    }
    return end;
  }

  /** Where a subclass checks the bytes on their way to disk. */
  protected writeBody(body: Readable, id: string, offset: number): Promise<number> {
    return super.write(body, id, offset);
  }
}
