import { truncate } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { answerFault, type TusHandler } from './createTusHandler.js';
import type { TusFaults } from './TusFaults.js';

/**
 * Answers the request when a fault of what sits around the tus server applies to it (see TusFaults:
 * token-expiry, body-limit 'status', lose-tail, delete-upload) and returns true; else returns false
 * and the request goes on to tus. A 'cut' body limit is applied to the body instead (bodyCut).
 */
export function intermediaryFault(handler: TusHandler, req: IncomingMessage, res: ServerResponse, method: string, scope: string | null): boolean {
  const { faults } = handler;
  const refused = faults.refuseToken(method, scope, header(req, 'authorization'));
  if (refused !== null) {
    answerFault(req, res, { status: refused, body: 'The token has expired\n' });
    return true;
  }
  const limit = faults.take('body-limit', method, scope);
  if (limit?.action === 'status' && contentLength(req) > limit.maxBytes) {
    answerFault(req, res, { status: limit.status ?? 413, body: `Request body larger than ${limit.maxBytes} bytes\n` });
    return true;
  }
  const lost = faults.take('lose-tail', method, scope);
  if (lost) {
    void truncateUpload(handler, req, lost.keepBytes).then(
      () => answerFault(req, res, { status: lost.status ?? 503, body: 'The server restarted\n' }),
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
    return true;
  }
  const deleted = faults.take('delete-upload', method, scope);
  if (deleted) {
    const id = uploadIdOf(handler, req);
    void (id === null ? Promise.resolve() : handler.store.remove(id).catch(() => {})).then(() =>
      answerFault(req, res, { status: deleted.status, body: 'The upload is gone\n' }),
    );
    return true;
  }
  return false;
}

/** The 'cut' body limit for this request, when its body is larger than the limit. */
export function bodyCut(req: IncomingMessage, faults: TusFaults, method: string, scope: string | null) {
  const limit = faults.take('body-limit', method, scope);
  if (limit?.action !== 'cut' || contentLength(req) <= limit.maxBytes) return undefined;
  return { afterBytes: limit.maxBytes, drop: () => req.socket.destroy() };
}

/** Cut the stored bytes of the request's upload to `keep` (FileStore takes the offset from the file's size). */
async function truncateUpload(handler: TusHandler, req: IncomingMessage, keep: number): Promise<void> {
  const id = uploadIdOf(handler, req);
  if (id === null) return;
  await truncate(path.join(handler.directory, id), keep);
}

function uploadIdOf(handler: TusHandler, req: IncomingMessage): string | null {
  const pathname = (req.url ?? '').split('?')[0] ?? '';
  const id = decodeURIComponent(pathname.slice(handler.route.length).replace(/^\/+/, ''));
  return id === '' || id.includes('/') || id.includes('..') ? null : id;
}

function contentLength(req: IncomingMessage): number {
  const value = Number(header(req, 'content-length') ?? 0);
  return Number.isFinite(value) ? value : 0;
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}
