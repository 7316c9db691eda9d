import type { FileSnapshot, Totals, Uploader } from '../index.js';
import { formatEta, formatSpeed, progressText } from './format.js';
import { ProgressBar } from './ProgressBar.js';

export interface UploadTotalsProps {
  files: readonly FileSnapshot[];
  totals: Totals;
  actions: Pick<Uploader, 'pause' | 'resume' | 'retry'>;
}

function summary(totals: Totals): string {
  let text = `${totals.completed} of ${totals.files} uploaded`;
  if (totals.failed > 0) text += `, ${totals.failed} failed`;
  if (totals.active > 0) {
    if (totals.speed > 0) text += ` · ${formatSpeed(totals.speed)}`;
    const eta = formatEta(totals.eta);
    if (eta) text += ` · ${eta} left`;
  }
  return text;
}

/**
 * Overall progress, speed and time left, and commands for every file at once. Pause all and Resume
 * all share one button element, so keyboard focus stays on it when its label flips.
 */
export function UploadTotals({ files, totals, actions }: UploadTotalsProps) {
  // Pause all also holds the queued files back (pause() takes them too), but only offers itself while
  // something runs: with autoStart off, queued files are waiting for Start, not running.
  const running = files.some((f) => f.status === 'uploading');
  const paused = files.some((f) => f.status === 'paused');
  const group = running ? 'pause' : paused ? 'resume' : null;
  return (
    <div className="lu-totals">
      <ProgressBar label="All files" value={totals.progress} valueText={progressText(totals.progress, totals.bytesAcknowledged, totals.bytesTotal)} />
      <p className="lu-totals-text">{summary(totals)}</p>
      {files.length > 1 && (group || totals.failed > 0) && (
        <div className="lu-file-actions">
          {group && (
            <button type="button" className="lu-button" data-command={`${group}-all`} onClick={() => actions[group]()}>
              {group === 'pause' ? 'Pause all' : 'Resume all'}
            </button>
          )}
          {totals.failed > 0 && (
            <button type="button" className="lu-button" data-command="retry-all" onClick={() => actions.retry()}>
              Retry failed
            </button>
          )}
        </div>
      )}
    </div>
  );
}
