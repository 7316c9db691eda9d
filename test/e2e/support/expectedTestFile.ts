import { createHash } from 'node:crypto';
import {
  BLOCK_SIZE,
  composeFromBlobParts,
  type GeneratorMethod,
} from '../../../demo/testFile/generateTestFile.js';
import { PseudoRandomStream } from '../../../demo/testFile/PseudoRandomStream.js';

/** Rebuilds, in Node, the bytes the demo's generator produced from a seed, and returns their SHA-256. */
export async function expectedTestFileSha256(method: GeneratorMethod, size: number, seed: number): Promise<string> {
  const hash = createHash('sha256');
  if (method === 'opfs') {
    const stream = new PseudoRandomStream(seed);
    const block = new Uint8Array(BLOCK_SIZE);
    for (let done = 0; done < size; done += BLOCK_SIZE) {
      const length = Math.min(BLOCK_SIZE, size - done);
      const view = block.subarray(0, Math.ceil(length / 4) * 4);
      stream.fill(view);
      hash.update(view.subarray(0, length));
    }
  } else {
    const file = await composeFromBlobParts({ size, seed });
    for await (const chunk of file.stream()) hash.update(chunk);
  }
  return hash.digest('hex');
}
