import { useEffect, useRef, useState } from 'react';
import type { FileSnapshot } from '../index.js';

export interface LiveRegionProps {
  files: readonly FileSnapshot[];
  /** The sentence for a file that just finished, failed or was refused; null to stay silent. */
  describe?: (file: FileSnapshot) => string | null;
}

export function describeOutcome(file: FileSnapshot): string | null {
  if (file.status === 'completed') return `${file.name} uploaded.`;
  if (file.status === 'failed') return `${file.name} failed: ${file.error?.message ?? 'unknown error'}.`;
  if (file.status === 'rejected') return `${file.name} was not added: ${file.rejection?.message ?? 'refused'}.`;
  return null;
}

/**
 * A polite live region announcing completions, failures and refusals as they happen. Files already
 * present when it mounts are its baseline and are not announced.
 */
export function LiveRegion({ files, describe = describeOutcome }: LiveRegionProps) {
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
      const sentence = describe(file);
      if (sentence) sentences.push(sentence);
    }
    if (sentences.length === 0) return;
    const next = sentences.join(' ');
    // Screen readers skip an unchanged text; a trailing no-break space makes a repeat a change.
    setMessage((current) => (current === next ? `${next}\u00a0` : next));
  }, [files, describe]);

  return (
    <div className="lu-visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {message}
    </div>
  );
}
