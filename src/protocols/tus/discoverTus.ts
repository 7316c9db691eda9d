import type { HeaderRecord, HttpStack } from '../../core/ports.js';
import { sendRequest } from '../http/sendRequest.js';

/** What a tus server said about itself in answer to OPTIONS. */
export interface TusServerInfo {
  versions: readonly string[];
  extensions: ReadonlySet<string>;
  /** Largest upload the server accepts; Infinity when it did not say. */
  maxSize: number;
  checksumAlgorithms: ReadonlySet<string>;
  /** False when OPTIONS failed and the facts below are assumptions. */
  discovered: boolean;
}

/** When OPTIONS fails the server may still speak tus: assume the core protocol plus creation. */
export const ASSUMED_SERVER: TusServerInfo = {
  versions: ['1.0.0'],
  extensions: new Set(['creation']),
  maxSize: Infinity,
  checksumAlgorithms: new Set(),
  discovered: false,
};

/**
 * OPTIONS on the endpoint. Never rejects for an answer the server gave (a 404 or 405 means
 * "no discovery here", so we assume); rejects only when aborted or when no answer arrived,
 * so the caller can try again later instead of remembering an outage.
 */
export async function discoverTus(http: HttpStack, endpoint: string, headers: HeaderRecord, signal?: AbortSignal): Promise<TusServerInfo> {
  const response = await sendRequest(http, { method: 'OPTIONS', url: endpoint, headers, signal });
  if (response.status < 200 || response.status >= 300) return ASSUMED_SERVER;
  const versions = list(response.header('Tus-Version'));
  if (versions.length === 0) return ASSUMED_SERVER;
  const maxSize = Number(response.header('Tus-Max-Size') ?? '');
  return {
    versions,
    extensions: new Set(list(response.header('Tus-Extension'))),
    maxSize: Number.isSafeInteger(maxSize) && maxSize > 0 ? maxSize : Infinity,
    checksumAlgorithms: new Set(list(response.header('Tus-Checksum-Algorithm')).map((name) => name.toLowerCase())),
    discovered: true,
  };
}

function list(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
