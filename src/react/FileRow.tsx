import { memo } from 'react';
import type { FileSnapshot } from '../index.js';
import { useFormat } from './format.js';
import type { Format } from './format.js';
import { FileRowActions } from './FileRowActions.js';
import type { FileActions } from './FileRowActions.js';
import { ProgressBar } from './ProgressBar.js';
import { Thumbnail } from './Thumbnail.js';

export interface FileRowProps {
  file: FileSnapshot;
  actions: FileActions;
  /** Position in the whole list (1-based), for windowed lists where most rows are not rendered. */
  position?: number;
  setSize?: number;
}

function details(file: FileSnapshot, format: Format): string {
  const parts = [format.t('ofTotal', { done: format.bytes(file.bytesAcknowledged), total: format.bytes(file.size) })];
  // Listed from an earlier page: the bytes are what the server said it holds; the file is not chosen yet.
  if (file.restored) {
    const held = format.t('onServer', { done: format.bytes(file.bytesAcknowledged), total: format.bytes(file.size) });
    return `${held} · ${format.t(file.restored === 'reopen' ? 'resumeToContinue' : 'chooseAgain')}`;
  }
  // Picked up where an earlier session (a reload, another tab) left it on the server.
  if (file.resumed) parts.push(format.t('resumed'));
  // 'start' shows as the row's Start button, not as words.
  if (file.waiting && file.waiting !== 'start') parts.push(format.t(file.waiting === 'offline' ? 'waitingOffline' : 'waitingOtherTab'));
  if (file.status === 'uploading') {
    if (file.speed > 0) parts.push(format.speed(file.speed));
    const eta = format.eta(file.eta);
    if (eta) parts.push(format.t('timeLeft', { time: eta }));
  }
  return parts.join(' · ');
}

/** The words for what went wrong: the broken rule (in the locale's language), else the upload error. */
function problemOf(file: FileSnapshot, format: Format): { code: string; message: string } | null {
  if (file.rejection) return { code: file.rejection.code, message: format.rejection(file.rejection) };
  if (file.status === 'failed' && file.error) return { code: file.error.code, message: file.error.message };
  return null;
}

/**
 * A restored entry (an upload of an earlier page): Resume when a kept file handle allows it (the browser
 * asks for permission), else the user drops or chooses the file again; Discard ends it on the server.
 */
function RestoredActions({ file, actions }: { file: FileSnapshot; actions: FileActions }) {
  const format = useFormat();
  return (
    <div className="lu-file-actions">
      {file.restored === 'reopen' && (
        <button type="button" className="lu-button" data-command="resume" onClick={() => actions.resume(file.id)}>
          {format.t('resume')}<span className="lu-visually-hidden"> {file.name}</span>
        </button>
      )}
      <button type="button" className="lu-button" data-command="discard" onClick={() => actions.remove(file.id)}>
        {format.t('discard')}<span className="lu-visually-hidden"> {file.name}</span>
      </button>
    </div>
  );
}

/**
 * One file. Memoized on snapshot identity: the core keeps an unchanged FileSnapshot object identical
 * between snapshots, so a progress update of one file re-renders only that file's row.
 */
export const FileRow = memo(function FileRow({ file, actions, position, setSize }: FileRowProps) {
  const format = useFormat();
  const problem = problemOf(file, format);
  return (
    <li
      className="lu-file"
      data-status={file.status}
      data-waiting={file.waiting ?? undefined}
      aria-posinset={position}
      aria-setsize={setSize}
    >
      <div className="lu-file-head">
        <Thumbnail file={file.file} name={file.name} type={file.type} size={28} />
        <span className="lu-file-name" title={file.name}>
          {file.name}
        </span>
        <span className="lu-file-status">{format.locale.status[file.status]}</span>
      </div>
      {file.status !== 'rejected' && (
        <ProgressBar
          value={file.progress}
          label={file.name}
          valueText={format.progress(file.progress, file.bytesAcknowledged, file.size)}
          status={file.status}
        />
      )}
      {problem ? (
        <p className="lu-file-error" data-code={problem.code} title={problem.message}>
          {problem.message}
        </p>
      ) : (
        <p className="lu-file-detail">{details(file, format)}</p>
      )}
      {file.restored ? <RestoredActions file={file} actions={actions} /> : <FileRowActions file={file} actions={actions} />}
    </li>
  );
});
