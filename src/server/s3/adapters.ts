/// <reference types="node" />
import type { IncomingMessage, ServerResponse } from 'node:http';
import { S3HandlerError } from './S3HandlerError.js';

/** The incoming request as `authorize` and `mayAccess` see it, whichever server it came through. */
export interface S3HandlerRequest {
  method: string;
  /** Path and query as the handler routes them (for Express, relative to where it is mounted). */
  url: URL;
  headers: Headers;
  /** The server's own request object: IncomingMessage (node, express) or Request (fetch). */
  native: IncomingMessage | Request;
}

export interface HandlerAnswer {
  status: number;
  /** null: no body (204). */
  body: unknown;
}

/** The handler behind the adapters: `match` says synchronously whether a path is one of its routes
 * (and returns the path after the route prefix), `handle` answers it. */
export interface HandlerCore {
  match(pathname: string): string | null;
  handle(request: S3HandlerRequest, rest: string, readJson: () => Promise<unknown>): Promise<HandlerAnswer>;
}

const MAX_BODY = 1024 * 1024; // a complete of 10,000 parts is ~700 KB of JSON
const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

function badJson(): never {
  throw new S3HandlerError(400, 'BadJson', 'The request body is not JSON (or larger than 1 MiB)');
}

function parse(text: string): unknown {
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return badJson();
  }
}

function fromNode(req: IncomingMessage): S3HandlerRequest {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return { method: req.method ?? 'GET', url: new URL(req.url ?? '/', 'http://handler.invalid'), headers, native: req };
}

async function readNodeJson(req: IncomingMessage): Promise<unknown> {
  // Express with express.json() has read the body already.
  const parsed = (req as IncomingMessage & { body?: unknown }).body;
  if (parsed !== undefined && typeof parsed === 'object' && parsed !== null && !Buffer.isBuffer(parsed)) return parsed;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return badJson();
    chunks.push(chunk as Buffer);
  }
  return parse(Buffer.concat(chunks).toString('utf8'));
}

function writeNode(res: ServerResponse, answer: HandlerAnswer): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (answer.body === null) res.writeHead(answer.status, { 'Cache-Control': 'no-store' }).end();
  else res.writeHead(answer.status, JSON_HEADERS).end(JSON.stringify(answer.body));
}

const INTERNAL: HandlerAnswer = { status: 500, body: { error: 'The S3 signing backend failed', code: 'InternalError' } };

export function nodeAdapter(core: HandlerCore) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const request = fromNode(req);
    const rest = core.match(request.url.pathname);
    if (rest === null) return false;
    core.handle(request, rest, () => readNodeJson(req)).then(
      (answer) => writeNode(res, answer),
      () => writeNode(res, INTERNAL),
    );
    return true;
  };
}

export function expressAdapter(core: HandlerCore) {
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    const request = fromNode(req);
    const rest = core.match(request.url.pathname);
    if (rest === null) return next();
    core.handle(request, rest, () => readNodeJson(req)).then(
      (answer) => writeNode(res, answer),
      (error: unknown) => next(error),
    );
  };
}

export function fetchAdapter(core: HandlerCore) {
  return async (incoming: Request): Promise<Response> => {
    const request: S3HandlerRequest = { method: incoming.method, url: new URL(incoming.url), headers: incoming.headers, native: incoming };
    const readJson = async (): Promise<unknown> => {
      const text = await incoming.text();
      return text.length > MAX_BODY ? badJson() : parse(text);
    };
    const rest = core.match(request.url.pathname);
    const answer = rest === null ? NO_ROUTE : await core.handle(request, rest, readJson).catch(() => INTERNAL);
    return answer.body === null
      ? new Response(null, { status: answer.status, headers: { 'Cache-Control': 'no-store' } })
      : new Response(JSON.stringify(answer.body), { status: answer.status, headers: JSON_HEADERS });
  };
}

const NO_ROUTE: HandlerAnswer = { status: 404, body: { error: 'No such route', code: 'NoSuchRoute' } };
