import { createHash, type Hash } from 'node:crypto';
import { truncate } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { InstrumentedFileStore } from './InstrumentedFileStore.js';
import { tusRequestContext } from './tusRequestContext.js';

/** Algorithms this store verifies, as advertised in Tus-Checksum-Algorithm. */
export const CHECKSUM_ALGORITHMS = ['sha256'] as const;

/** tus checksum extension: the status for a body whose digest differs from Upload-Checksum. */
const CHECKSUM_MISMATCH = { status_code: 460, body: 'Checksum Mismatch\n' };

/**
 * A FileStore that implements the tus checksum extension (sha256): it hashes a PATCH (or
 * creation-with-upload POST) body while writing it and, when the digest differs from the
 * request's Upload-Checksum, cuts the file back to where the request started and answers 460,
 * so the upload's offset never moves past unverified bytes. A request without Upload-Checksum is
 * stored as is: the header is optional per request.
 * Tus-Checksum-Algorithm on OPTIONS is added by the handler (createTusHandler); @tus/server has no hook for it.
 */
export class ChecksumFileStore extends InstrumentedFileStore {
  constructor(options: ConstructorParameters<typeof InstrumentedFileStore>[0]) {
    super(options);
    this.extensions = [...this.extensions, 'checksum'];
  }

  protected override async writeBody(body: Readable, id: string, offset: number): Promise<number> {
    const context = tusRequestContext.getStore();
    const header = context?.uploadChecksum ?? null;
    if (header === null) return super.writeBody(body, id, offset);
    const expected = parseUploadChecksum(header);
    const hash = createHash('sha256');
    let end: number;
    try {
      end = await super.writeBody(Readable.from(hashing(body, hash)), id, offset);
    } catch (error) {
      await this.discard(id, offset, context?.method);
      throw error;
    }
    if (hash.digest('base64') === expected) return end;
    // Also when the client hung up mid-body: bytes that cannot be verified are not kept.
    await this.discard(id, offset, context?.method);
    throw CHECKSUM_MISMATCH;
  }

  private async discard(id: string, offset: number, method: string | undefined): Promise<void> {
    const file = path.join(this.directory, id);
    // Never touch anything but a file directly inside the store's folder (an id like '..').
    if (path.dirname(file) !== path.resolve(this.directory)) return;
    await truncate(file, offset);
    // A creating POST whose body failed leaves an upload nobody has the URL of.
    if (method === 'POST') await this.remove(id).catch(() => undefined);
  }
}

/** `sha256 <base64>` → the base64 digest; anything else is a 400, as the extension requires. */
function parseUploadChecksum(header: string): string {
  const match = /^\s*([A-Za-z0-9-]+)\s+([A-Za-z0-9+/=]+)\s*$/.exec(header);
  if (!match) throw { status_code: 400, body: 'Invalid Upload-Checksum\n' };
  if (match[1]?.toLowerCase() !== 'sha256') throw { status_code: 400, body: 'Unsupported checksum algorithm\n' };
  return match[2] ?? '';
}

async function* hashing(source: Readable, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    yield bytes;
  }
}
