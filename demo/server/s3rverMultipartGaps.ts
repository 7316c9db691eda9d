import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { KoaContext, Middleware } from 's3rver';

/**
 * s3rver 3.7.1 implements CreateMultipartUpload, UploadPart and CompleteMultipartUpload, but not
 * ListParts (GET ?uploadId) or AbortMultipartUpload (DELETE ?uploadId), and it stores a part sent to
 * an upload id it never issued instead of answering 404 NoSuchUpload. This middleware, placed in front
 * of s3rver's router, adds those three as S3 documents them, over s3rver's own upload folders
 * (uploads/<id>/<partNumber> and <partNumber>.md5).
 */
export function s3rverMultipartGaps(uploadsDir: (bucket: string) => string): Middleware {
  // Aborted uploads are NoSuchUpload from then on, but their folder goes only once no request of
  // theirs is inside s3rver: it opens a part's file while writing it, and a folder removed under it
  // makes an unhandled stream error that takes the whole server process down.
  const aborted = new Set<string>();
  const busy = new Map<string, number>();
  return async (ctx, next) => {
    const uploadId = ctx.query.uploadId;
    const match = /^\/([^/]+)\/.+$/.exec(ctx.path);
    // A preflight carries the query too; CORS is s3rver's business.
    if (typeof uploadId !== 'string' || !match || ctx.method === 'OPTIONS') return next();
    const dir = /^[0-9a-f]{32}$/.test(uploadId) ? path.join(uploadsDir(match[1] ?? ''), uploadId) : null;
    if (dir === null || aborted.has(uploadId) || !(await stat(dir).then((s) => s.isDirectory(), () => false))) {
      return noSuchUpload(ctx);
    }
    if (ctx.method === 'GET') return listParts(ctx, dir, uploadId);
    if (ctx.method === 'DELETE') {
      aborted.add(uploadId);
      if (!busy.has(uploadId)) await rm(dir, { recursive: true, force: true });
      ctx.status = 204;
      ctx.body = null;
      return;
    }
    busy.set(uploadId, (busy.get(uploadId) ?? 0) + 1);
    try {
      return await next();
    } finally {
      const left = (busy.get(uploadId) ?? 1) - 1;
      if (left > 0) busy.set(uploadId, left);
      else busy.delete(uploadId);
      // The last request of an aborted upload is out: S3 frees what its parts stored.
      if (left <= 0 && aborted.has(uploadId)) await rm(dir, { recursive: true, force: true });
    }
  };
}

async function listParts(ctx: KoaContext, dir: string, uploadId: string): Promise<void> {
  const numbers = (await readdir(dir)).filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b);
  const parts = await Promise.all(
    numbers.map(async (n) => {
      try {
        const [info, md5] = await Promise.all([stat(path.join(dir, String(n))), readFile(path.join(dir, `${n}.md5`), 'utf8')]);
        return `<Part><PartNumber>${n}</PartNumber><ETag>"${md5.trim()}"</ETag><Size>${info.size}</Size></Part>`;
      } catch {
        // s3rver writes the .md5 once the part's body is complete: a part cut off mid-body is not a part.
        return '';
      }
    }),
  );
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?><ListPartsResult><UploadId>${uploadId}</UploadId>${parts.join('')}</ListPartsResult>`;
}

function noSuchUpload(ctx: KoaContext): void {
  ctx.status = 404;
  ctx.type = 'application/xml';
  // A part PUT comes from the page, cross-origin: without this the browser hides the 404 as a network error.
  if (ctx.get('origin')) ctx.set('Access-Control-Allow-Origin', '*');
  ctx.body =
    '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>';
}
