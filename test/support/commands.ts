import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { BrowserCommand } from 'vitest/node';

/** SHA-256 (hex) of a stored upload, read on the server side by its upload id. */
const storedSha256: BrowserCommand<[directory: string, id: string]> = async (_ctx, directory, id) => {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path.resolve(directory, id))) hash.update(chunk as Buffer);
  return hash.digest('hex');
};

export const testCommands = { storedSha256 };

declare module 'vitest/browser' {
  interface BrowserCommands {
    storedSha256(directory: string, id: string): Promise<string>;
  }
}
