import type { PageOptions } from './pages/pageProtocol.js';

export type ContenderId =
  | 'lean'
  | 'lean-sha256'
  | 'tus-js'
  | 'tus-js-8mib'
  | 'uppy'
  | 'uppy-8mib';

/** Which tus route the contender talks to: the plain FileStore or the checksum-verifying one. */
export type ServerKind = 'plain' | 'checksum';

export interface Contender {
  id: ContenderId;
  label: string;
  /** The bundled page (file name without .html) that drives this library. */
  page: 'lean' | 'tus-js-client' | 'uppy';
  server: ServerKind;
  options: Omit<PageOptions, 'endpoint'>;
}

const MiB = 1024 * 1024;

/** Peers run with their defaults and with 8 MiB chunks; lean-upload with its defaults. */
export const CONTENDERS: readonly Contender[] = [
  { id: 'lean', label: 'lean-upload', page: 'lean', server: 'plain', options: {} },
  {
    id: 'lean-sha256',
    label: 'lean-upload + SHA-256 verified',
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
];

export function contenderById(id: ContenderId): Contender {
  const found = CONTENDERS.find((contender) => contender.id === id);
  if (!found) throw new Error(`unknown contender ${id}`);
  return found;
}
