import { memo } from 'react';
import type { FileSnapshot } from '../index.js';
import { formatBytes, formatEta, formatSpeed, progressText, statusLabels } from './format.js';
import { FileRowActions } from './FileRowActions.js';
import type { FileActions } from './FileRowActions.js';
import { ProgressBar } from './ProgressBar.js';
import { Thumbnail } from './Thumbnail.js';

export interface FileRowProps {
  file: FileSnapshot;
  actions: FileActions;
  autoStart?: boolean;
  /** Position in the whole list (1-based), for windowed lists where most rows are not rendered. */
  position?: number;
  setSize?: number;
}

function details(file: FileSnapshot): string {
  const parts = [`${formatBytes(file.bytesAcknowledged)} of ${formatBytes(file.size)}`];
  // Listed from an earlier page: the bytes are what the server said it holds; the file is not chosen yet.
  if (file.restored) return `${parts[0]} on the server · ${file.restored === 'reopen' ? 'resume to continue' : 'choose the file again to continue'}`;
  // Picked up where an earlier session (a reload, another tab) left it on the server.
  if (file.resumed) parts.push('resumed');
  if (file.status === 'uploading') {
    if (file.speed > 0) parts.push(formatSpeed(file.speed));
    const eta = formatEta(file.eta);
    if (eta) parts.push(`${eta} left`);
  }
  return parts.join(' · ');
}

/** The words for what went wrong: the broken rule for a rejection, else the upload error. */
function problemOf(file: FileSnapshot): { code: string; message: string } | null {
  if (file.rejection) return file.rejection;
  if (file.status === 'failed' && file.error) return { code: file.error.code, message: file.error.message };
  return null;
}

/**
 * A restored entry (an upload of an earlier page): Resume when a kept file handle allows it (the browser
 * asks for permission), else the user drops or chooses the file again; Discard ends it on the server.
 */
function RestoredActions({ file, actions }: { file: FileSnapshot; actions: FileActions }) {
  return (
    <div className="lu-file-actions">
      {file.restored === 'reopen' && (
        <button type="button" className="lu-button" data-command="resume" onClick={() => actions.resume(file.id)}>
          Resume<span className="lu-visually-hidden"> {file.name}</span>
        </button>
      )}
      <button type="button" className="lu-button" data-command="discard" onClick={() => actions.remove(file.id)}>
        Discard<span className="lu-visually-hidden"> {file.name}</span>
      </button>
    </div>
  );
}

/**
 * One file. Memoized on snapshot identity: the core keeps an unchanged FileSnapshot object identical
 * between snapshots, so a progress update of one file re-renders only that file's row.
 */
export const FileRow = memo(function FileRow({ file, actions, autoStart, position, setSize }: FileRowProps) {
  const problem = problemOf(file);
  return (
    <li
      className="lu-file"
      data-status={file.status}
      aria-posinset={position}
      aria-setsize={setSize}
    >
      <div className="lu-file-head">
        <Thumbnail file={file.file} name={file.name} type={file.type} size={28} />
        <span className="lu-file-name" title={file.name}>
          {file.name}
        </span>
        <span className="lu-file-status">{statusLabels[file.status]}</span>
      </div>
      {file.status !== 'rejected' && (
        <ProgressBar
          value={file.progress}
          label={file.name}
          valueText={progressText(file.progress, file.bytesAcknowledged, file.size)}
          status={file.status}
        />
      )}
      {problem ? (
        <p className="lu-file-error" data-code={problem.code} title={problem.message}>
          {problem.message}
        </p>
      ) : (
        <p className="lu-file-detail">{details(file)}</p>
      )}
      {file.restored ? <RestoredActions file={file} actions={actions} /> : <FileRowActions file={file} actions={actions} autoStart={autoStart} />}
    </li>
  );
});
