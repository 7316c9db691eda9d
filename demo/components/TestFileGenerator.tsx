import { useId, useState } from 'react';
import { formatBytes } from '../../src/index.js';
import { MiB } from '../testFile/generateTestFile.js';
import { useTestFileGenerator, type GeneratorState } from '../testFile/useTestFileGenerator.js';

const SIZES = [100 * MiB, 256 * MiB, 512 * MiB, 1024 * MiB, 2048 * MiB, 4096 * MiB];

interface TestFileGeneratorProps {
  onGenerated: (file: File) => void;
}

/** Builds a large pseudo-random file in the browser, so nobody needs a 4 GiB file at hand. */
export function TestFileGenerator({ onGenerated }: TestFileGeneratorProps) {
  const sizeId = useId();
  const [size, setSize] = useState(SIZES[0] ?? 100 * MiB);
  const { state, generate, cancel } = useTestFileGenerator(onGenerated);
  const busy = state.phase === 'generating';
  return (
    <section className="panel" aria-labelledby="generator-heading">
      <h2 id="generator-heading">Generate a test file</h2>
      <p className="note">
        Random bytes are written to the browser&rsquo;s private file system 8 MiB at a time, then the file is added to the
        uploader.
      </p>
      <form
        className="generator"
        onSubmit={(event) => {
          event.preventDefault();
          void generate(size);
        }}
      >
        <div className="field">
          <label htmlFor={sizeId}>File size</label>
          <select id={sizeId} name="size" value={size} disabled={busy} onChange={(e) => setSize(Number(e.currentTarget.value))}>
            {SIZES.map((bytes) => (
              <option key={bytes} value={bytes}>
                {formatBytes(bytes)}
              </option>
            ))}
          </select>
        </div>
        {busy ? (
          <button type="button" className="button secondary" onClick={cancel}>
            Stop
          </button>
        ) : (
          <button type="submit" className="button">
            Generate test file
          </button>
        )}
      </form>
      <GeneratorStatus state={state} />
    </section>
  );
}

function GeneratorStatus({ state }: { state: GeneratorState }) {
  const done = state.phase === 'done' ? state : null;
  return (
    <div className="generator-status" data-phase={state.phase}>
      {state.phase === 'generating' && (
        <>
          <progress max={state.size} value={state.written} aria-label="Test file generation" />
          <p className="note">
            Generating: {formatBytes(state.written)} of {formatBytes(state.size)}
          </p>
        </>
      )}
      {/* Always rendered, so screen readers announce the result when it appears. */}
      <p
        role="status"
        className="note"
        data-seed={done?.result.seed}
        data-method={done?.result.method}
        data-size={done?.result.file.size}
        data-name={done?.result.file.name}
      >
        {done && (
          <>
            Added <strong>{done.result.file.name}</strong> ({formatBytes(done.result.file.size)}),{' '}
            {done.result.method === 'opfs' ? 'written to disk' : 'composed from Blob parts'} in{' '}
            {(done.millis / 1000).toFixed(1)} s.
          </>
        )}
      </p>
      {state.phase === 'failed' && (
        <p className="error" role="alert">
          Could not generate the file: {state.message}
        </p>
      )}
    </div>
  );
}
