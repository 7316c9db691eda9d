import { useId } from 'react';
import { formatBytes } from '../../src/index.js';
import {
  TEST_FILE_SIZES,
  type GeneratorState,
  type TestFileGeneratorControls,
} from '../testFile/useTestFileGenerator.js';

/** The sizes are whole MiB or GiB, and the settings speak MiB: label them so, not in decimal MB. */
function binarySize(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1024 ? `${mib / 1024} GiB` : `${mib} MiB`;
}

/** Builds a large pseudo-random file in the browser, so nobody needs a 4 GiB file at hand. */
export function TestFileGenerator({ state, size, setSize, generate, cancel }: TestFileGeneratorControls) {
  const sizeId = useId();
  const busy = state.phase === 'generating';
  return (
    <section className="generator" aria-labelledby={`${sizeId}-heading`}>
      <h3 id={`${sizeId}-heading`}>No large file at hand?</h3>
      <p className="note">
        Generate one: random bytes are written to the browser&rsquo;s private file system 8 MiB at a time, then the file
        is added to the list above.
      </p>
      <form
        className="generator-form"
        onSubmit={(event) => {
          event.preventDefault();
          void generate(size);
        }}
      >
        <div className="field">
          <label htmlFor={sizeId}>File size</label>
          <select id={sizeId} name="size" value={size} disabled={busy} onChange={(e) => setSize(Number(e.currentTarget.value))}>
            {TEST_FILE_SIZES.map((bytes) => (
              <option key={bytes} value={bytes}>
                {binarySize(bytes)}
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
