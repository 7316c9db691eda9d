import { memo } from 'react';
import type { FileSnapshot } from '../index.js';
import { useFormat } from './format.js';
import type { Format } from './format.js';
import { pace } from './pace.js';
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
  const { t } = format;
  const amounts = { done: format.bytes(file.bytesAcknowledged), total: format.bytes(file.size) };
  // Listed from an earlier page: the bytes are what the server said it holds; the file is not chosen yet.
  if (file.restored) return `${t('onServer', amounts)} · ${t(file.restored === 'reopen' ? 'resumeToContinue' : 'chooseAgain')}`;
  const parts = [t('ofTotal', amounts)];
  // Picked up where an earlier session (a reload, another tab) left it on the server.
  if (file.resumed) parts.push(t('resumed'));
  // 'start' shows as the row's Start button, not as words.
  if (file.waiting && file.waiting !== 'start') parts.push(t(file.waiting === 'offline' ? 'waitingOffline' : 'waitingOtherTab'));
  if (file.status === 'uploading') parts.push(...pace(file, format));
  return parts.join(' · ');
}

/**
 * The words for what went wrong, in the locale's language: the broken rule, else the failure's sentence
 * by its code. `title` adds a failure's technical message (request, status) for developers and support;
 * it repeats the words because a windowed list cuts them to one line.
 */
function problemOf(file: FileSnapshot, format: Format): { code: string; message: string; title: string } | null {
  if (file.rejection) {
    const message = format.rejection(file.rejection);
    return { code: file.rejection.code, message, title: message };
  }
  if (file.status !== 'failed' || !file.error) return null;
  const message = format.failure(file.error);
  return { code: file.error.code, message, title: `${message}\n${file.error.message}` };
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
        <p className="lu-file-error" data-code={problem.code} title={problem.title}>
          {problem.message}
        </p>
      ) : (
        <p className="lu-file-detail">{details(file, format)}</p>
      )}
      {/* A restored entry offers Resume (with a kept handle) and Discard. */}
      <FileRowActions file={file} actions={actions} />
    </li>
  );
});
