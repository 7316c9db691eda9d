import type { HeaderRecord, OpenRequest, PartRequest, ProtocolSession, UploadFileInfo } from '../../src/core/ports.js';
import type { Protocol } from '../../src/core/ports.js';
import { FakeHttp, tusAnswers } from '../support/fakeHttp.js';

export const ENDPOINT = 'https://tus.example/files';
export const UPLOAD_URL = 'https://tus.example/files/abc123';

export function fileInfo(size: number, overrides: Partial<UploadFileInfo> = {}): UploadFileInfo {
  return {
    id: 'file-1',
    name: 'photo.jpg',
    size,
    type: 'image/jpeg',
    lastModified: 1_700_000_000_000,
    metadata: {},
    ...overrides,
  };
}

export function openRequest(file: UploadFileInfo, overrides: Partial<OpenRequest> = {}): OpenRequest {
  return { file, headers: {}, signal: new AbortController().signal, ...overrides };
}

export interface PartOptions {
  last?: boolean;
  sha256?: Uint8Array;
  headers?: HeaderRecord;
  signal?: AbortSignal;
  onUploadProgress?: (loaded: number) => void;
}

/** The part [start, end) of `blob`, sent as its lazy slice like the engine does. */
export function partOf(blob: Blob, start: number, end: number, options: PartOptions = {}): PartRequest {
  const part: PartRequest = {
    start,
    end,
    body: blob.slice(start, end),
    last: options.last ?? end === blob.size,
    headers: options.headers ?? {},
    signal: options.signal ?? new AbortController().signal,
    onUploadProgress: options.onUploadProgress ?? (() => {}),
  };
  if (options.sha256) part.sha256 = options.sha256;
  return part;
}

export function bytes(size: number): Blob {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + 7) & 0xff;
  return new Blob([data]);
}

/** open() and answer its OPTIONS with `optionsHeaders`. */
export async function openSession(
  protocol: Protocol,
  http: FakeHttp,
  request: OpenRequest,
  optionsHeaders: Record<string, string> = tusAnswers.options(),
): Promise<ProtocolSession> {
  const opening = protocol.open(request);
  (await http.next('OPTIONS', ENDPOINT)).respond(204, optionsHeaders);
  return opening;
}

/** Base64 (of UTF-8) values of an Upload-Metadata header, decoded. */
export function decodeMetadata(header: string | null): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of (header ?? '').split(',')) {
    const [key = '', value = ''] = pair.trim().split(' ');
    result[key] = Buffer.from(value, 'base64').toString('utf8');
  }
  return result;
}
