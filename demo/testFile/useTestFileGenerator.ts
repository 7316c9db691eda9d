import { useCallback, useEffect, useRef, useState } from 'react';
import { generateTestFile, MiB, type GeneratedTestFile } from './generateTestFile.js';

export type GeneratorState =
  | { phase: 'idle' }
  | { phase: 'generating'; size: number; written: number }
  | { phase: 'done'; result: GeneratedTestFile; millis: number }
  | { phase: 'failed'; message: string };

export const TEST_FILE_SIZES = [100, 256, 512, 1024, 2048, 4096].map((n) => n * MiB);

export type TestFileGeneratorControls = ReturnType<typeof useTestFileGenerator>;

/**
 * Runs one generation at a time, reports progress, and aborts on unmount or cancel. It lives in the
 * page, not in the panel, so a generation survives the uploader being replaced.
 */
export function useTestFileGenerator(onGenerated: (file: File) => void) {
  const [state, setState] = useState<GeneratorState>({ phase: 'idle' });
  const [size, setSize] = useState(TEST_FILE_SIZES[0] ?? 100 * MiB);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const generate = useCallback(
    async (bytes: number) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      // A superseded run must not overwrite the state of the run that replaced it.
      const current = () => controller.current === abort;
      const started = performance.now();
      setState({ phase: 'generating', size: bytes, written: 0 });
      try {
        const result = await generateTestFile({
          size: bytes,
          seed: crypto.getRandomValues(new Uint32Array(1))[0] ?? 1,
          signal: abort.signal,
          onProgress: (written) => current() && setState({ phase: 'generating', size: bytes, written }),
        });
        if (abort.signal.aborted || !current()) return;
        setState({ phase: 'done', result, millis: performance.now() - started });
        onGenerated(result.file);
      } catch (error) {
        if (!current()) return;
        if (abort.signal.aborted) setState({ phase: 'idle' });
        else setState({ phase: 'failed', message: error instanceof Error ? error.message : String(error) });
      } finally {
        if (current()) controller.current = null;
      }
    },
    [onGenerated],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);
  return { state, size, setSize, generate, cancel };
}
