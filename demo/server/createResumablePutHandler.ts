import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

export interface ResumablePutHandlerOptions {
  /** URL prefix, e.g. '/resumable'. Uploads live at `${route}/${id}`. */
  route: string;
  /** Folder for stored uploads: `${id}` holds the bytes, `${id}.json` what the upload is. */
  directory: string;
}

interface UploadInfo {
  size: number;
  type: string;
  name: string;
  metadata: Record<string, string>;
}

export interface ResumablePutHandler {
  readonly route: string;
  readonly directory: string;
  matches(url: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * A small reference server for the resumable PUT scheme (Google Cloud Storage resumable uploads,
 * UpChunk-style): POST creates an upload and answers its URL in Location; PUT with
 * `Content-Range: bytes a-b/total` appends bytes a..b, which must start where the stored bytes end;
 * the answer is 308 with `Range: bytes=0-n` while bytes are missing, 201 once all are stored;
 * `Content-Range: bytes *\/total` with no body asks for that status; DELETE removes the upload.
 * A body cut short keeps the bytes that arrived, so the client resumes from there.
 */
export function createResumablePutHandler(options: ResumablePutHandlerOptions): ResumablePutHandler {
  const route = options.route.replace(/\/+$/, '');
  const directory = path.resolve(options.directory);
  const busy = new Set<string>();
  const fileOf = (id: string): string => path.join(directory, id);

  async function info(id: string): Promise<UploadInfo | null> {
    try {
      return JSON.parse(await readFile(`${fileOf(id)}.json`, 'utf8')) as UploadInfo;
    } catch {
      return null;
    }
  }

  const stored = async (id: string): Promise<number> => (await stat(fileOf(id))).size;

  function status(res: ServerResponse, received: number, size: number): void {
    if (received >= size) return void res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ size }));
    // No Location on a 308: a browser would follow it as a redirect.
    res.writeHead(308, received > 0 ? { Range: `bytes=0-${received - 1}` } : {}).end();
  }

  async function create(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const size = Number(req.headers['x-upload-content-length']);
    if (!Number.isSafeInteger(size) || size < 0) return void res.writeHead(400).end('X-Upload-Content-Length required');
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const parsed = body ? (JSON.parse(body) as { name?: string; metadata?: Record<string, string> }) : {};
    const id = randomUUID();
    await mkdir(directory, { recursive: true });
    await writeFile(fileOf(id), new Uint8Array(0));
    const record: UploadInfo = { size, type: String(req.headers['x-upload-content-type'] ?? ''), name: parsed.name ?? '', metadata: parsed.metadata ?? {} };
    await writeFile(`${fileOf(id)}.json`, JSON.stringify(record));
    res.writeHead(201, { Location: `${route}/${id}` }).end();
  }

  async function put(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const upload = await info(id);
    if (!upload) return void res.writeHead(404).end('no such upload');
    const range = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+)$/.exec(String(req.headers['content-range'] ?? '').trim());
    if (!range || Number(range[3]) !== upload.size) return void res.writeHead(400).end('bad Content-Range');
    const received = await stored(id);
    if (range[1] === undefined) {
      req.resume();
      return status(res, received, upload.size);
    }
    const start = Number(range[1]);
    const end = Number(range[2]) + 1;
    if (start !== received || end > upload.size || end <= start) {
      req.resume();
      return void res.writeHead(409, received > 0 ? { Range: `bytes=0-${received - 1}` } : {}).end(`bytes stored: ${received}`);
    }
    if (busy.has(id)) {
      req.resume();
      return void res.writeHead(409).end('another PUT of this upload is in progress');
    }
    busy.add(id);
    try {
      const written = await append(req, fileOf(id), end - start);
      if (written < 0) return void res.writeHead(400).end('body longer than its Content-Range');
      status(res, received + written, upload.size);
    } finally {
      busy.delete(id);
    }
  }

  async function remove(id: string, res: ServerResponse): Promise<void> {
    if (!(await info(id))) return void res.writeHead(404).end();
    await rm(fileOf(id), { force: true });
    await rm(`${fileOf(id)}.json`, { force: true });
    res.writeHead(204).end();
  }

  return {
    route,
    directory,
    matches: (url) => url === route || url.startsWith(`${route}/`) || url.startsWith(`${route}?`),
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://local');
      const id = url.pathname.slice(route.length + 1);
      const work =
        req.method === 'POST' && id === ''
          ? create(req, res)
          : /^[0-9a-f-]{36}$/.test(id) && req.method === 'PUT'
            ? put(id, req, res)
            : /^[0-9a-f-]{36}$/.test(id) && req.method === 'DELETE'
              ? remove(id, res)
              : Promise.resolve(void res.writeHead(405).end());
      work.catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
    },
  };
}

/**
 * Append the request body to `file`, at most `limit` bytes; resolves the bytes written (those of a
 * body cut short too), or -1 when the body was longer than `limit`.
 */
function append(req: IncomingMessage, file: string, limit: number): Promise<number> {
  return new Promise((resolve) => {
    const out = createWriteStream(file, { flags: 'a' });
    let written = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      const room = limit - written;
      if (chunk.length > room) over = true;
      const piece = chunk.subarray(0, Math.max(0, room));
      written += piece.length;
      out.write(piece);
    });
    // 'close' comes after 'end' and after an abort alike: keep what arrived either way.
    req.on('close', () => out.end(() => resolve(over ? -1 : written)));
  });
}
