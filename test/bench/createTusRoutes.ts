import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@tus/server';
import { FileStore } from '@tus/file-store';
import type { ServerKind } from './contenders.js';

export interface TusRoute {
  kind: ServerKind;
  /** URL prefix, e.g. '/files'. */
  route: string;
  /** Where the store keeps uploads: `${directory}/${id}` holds the bytes. */
  directory: string;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * The only place that knows how the tus servers are built, so the bench can switch to the
 * project's own factory (demo/server) when it lands.
 */
export function createTusRoutes(root: string): TusRoute[] {
  return [route('plain', '/files', path.join(root, 'plain')), route('checksum', '/files-checksum', path.join(root, 'checksum'))];
}

function route(kind: ServerKind, prefix: string, directory: string): TusRoute {
  const server = new Server({ path: prefix, datastore: new FileStore({ directory }), relativeLocation: true });
  return { kind, route: prefix, directory, handle: (req, res) => void server.handle(req, res) };
}
