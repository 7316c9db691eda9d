import { useEffect, useRef, useState } from 'react';
import type { FileSnapshot } from '../index.js';
import { createFormat, useFormat } from './format.js';
import type { Format } from './format.js';

export interface LiveRegionProps {
  files: readonly FileSnapshot[];
  /** The sentence for a file that just finished, failed or was refused; null to stay silent. */
  describe?: (file: FileSnapshot) => string | null;
}

/** The announcement for a file's outcome, in the format's language (English by default). */
export function describeOutcome(file: FileSnapshot, format: Format = createFormat()): string | null {
  const { t } = format;
  if (file.status === 'completed') return t('uploaded', { name: file.name });
  if (file.status === 'failed') return t('failed', { name: file.name, message: file.error ? format.failure(file.error) : '' });
  // The rule's message names the file already.
  if (file.rejection) return format.rejection(file.rejection);
  return null;
}

/**
 * A polite live region announcing completions, failures and refusals as they happen. Files already
 * present when it mounts are its baseline and are not announced.
 */
export function LiveRegion({ files, describe }: LiveRegionProps) {
  const format = useFormat();
  const seen = useRef<Map<string, FileSnapshot> | null>(null);
  const [message, setMessage] = useState('');

  useEffect(() => {
    const before = seen.current;
    seen.current = new Map(files.map((file) => [file.id, file]));
    if (!before) return;
    const sentences: string[] = [];
    for (const file of files) {
      const previous = before.get(file.id);
      if (previous === file || previous?.status === file.status) continue;
      const sentence = describe ? describe(file) : describeOutcome(file, format);
      if (sentence) sentences.push(sentence);
    }
    if (sentences.length === 0) return;
    const next = sentences.join(' ');
    // Screen readers skip an unchanged text; a trailing no-break space makes a repeat a change.
    setMessage((current) => (current === next ? `${next}\u00a0` : next));
  }, [files, describe, format]);

  return (
    <div className="lu-visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {message}
    </div>
  );
}
