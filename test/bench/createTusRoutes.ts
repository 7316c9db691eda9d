import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createTusHandler } from '../../demo/server/createTusHandler.js';
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
 * The two tus servers of the bench, built by the project's own factory (the one the demo and
 * the browser tests mount): a plain FileStore, and the store that verifies sha256 checksums.
 */
export function createTusRoutes(root: string): TusRoute[] {
  return [route('plain', '/files', path.join(root, 'plain')), route('checksum', '/files-checksum', path.join(root, 'checksum'))];
}

function route(kind: ServerKind, prefix: string, directory: string): TusRoute {
  const handler = createTusHandler({ directory, route: prefix, checksum: kind === 'checksum' });
  return {
    kind,
    route: prefix,
    directory,
    handle: (req, res) => {
      // The handler keeps a log of every request for tests; the bench counts its own.
      handler.clearLog();
      handler.handle(req, res);
    },
  };
}
