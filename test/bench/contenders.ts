import type { PageOptions } from './pages/pageProtocol.js';

export type ContenderId =
  | 'lean'
  | 'lean-sha256'
  | 'tus-js'
  | 'tus-js-8mib'
  | 'uppy'
  | 'uppy-8mib'
  | 'lean-s3'
  | 'uppy-s3';

/** Which server the contender talks to: the plain tus FileStore, the checksum-verifying one, or S3. */
export type ServerKind = 'plain' | 'checksum' | 's3';

export interface Contender {
  id: ContenderId;
  label: string;
  /** The bundled page (file name without .html) that drives this library. */
  page: 'lean' | 'tus-js-client' | 'uppy' | 'uppy-s3';
  server: ServerKind;
  options: Omit<PageOptions, 'endpoint'>;
}

const MiB = 1024 * 1024;

/** Peers run with their defaults and with 8 MiB chunks; lean-upload with its defaults. */
export const CONTENDERS: readonly Contender[] = [
  { id: 'lean', label: 'lean-upload', page: 'lean', server: 'plain', options: {} },
  {
    id: 'lean-sha256',
    // The checksum route advertises crc32 and sha256; 'auto' takes crc32, the cheaper in the browser.
    label: 'lean-upload + checksum verified (crc32)',
    page: 'lean',
    server: 'checksum',
    options: { checksum: 'auto' },
  },
  { id: 'tus-js', label: 'tus-js-client (one PATCH)', page: 'tus-js-client', server: 'plain', options: {} },
  {
    id: 'tus-js-8mib',
    label: 'tus-js-client 8 MiB chunks',
    page: 'tus-js-client',
    server: 'plain',
    options: { chunkSize: 8 * MiB },
  },
  { id: 'uppy', label: 'Uppy + @uppy/tus', page: 'uppy', server: 'plain', options: {} },
  { id: 'uppy-8mib', label: 'Uppy + @uppy/tus 8 MiB chunks', page: 'uppy', server: 'plain', options: { chunkSize: 8 * MiB } },
  // S3 side by side on the same engine and signing backend. lean-upload asks for integrity ('auto':
  // it hashes whenever the protocol can have the engine verify); @uppy/aws-s3 verifies nothing.
  { id: 'lean-s3', label: 'lean-upload S3 multipart', page: 'lean', server: 's3', options: { protocol: 's3', checksum: 'auto' } },
  { id: 'uppy-s3', label: 'Uppy + @uppy/aws-s3', page: 'uppy-s3', server: 's3', options: {} },
];

export function contenderById(id: ContenderId): Contender {
  const found = CONTENDERS.find((contender) => contender.id === id);
  if (!found) throw new Error(`unknown contender ${id}`);
  return found;
}
