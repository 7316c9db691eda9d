import { useId } from 'react';
import type { FileSnapshot, Totals, Uploader } from '../index.js';
import { useFormat } from './format.js';
import type { Format } from './format.js';
import { pace } from './pace.js';
import { ProgressBar } from './ProgressBar.js';

export interface UploadTotalsProps {
  files: readonly FileSnapshot[];
  totals: Totals;
  actions: Pick<Uploader, 'start' | 'pause' | 'resume' | 'retry'>;
}

function summary(totals: Totals, format: Format): string {
  const { t } = format;
  let text = t('summary', { done: totals.completed, n: totals.files });
  if (totals.failed > 0) text += `, ${t('failedCount', { n: totals.failed })}`;
  return [text, ...(totals.active > 0 ? pace(totals, format) : [])].join(' · ');
}

/**
 * Overall progress, speed and time left, and commands for every file at once. Pause all and Resume
 * all share one button element, so keyboard focus stays on it when its label flips. Upload all (when
 * files wait for it) stays focusable while restrictions.minFiles is unmet, and says what is missing.
 */
export function UploadTotals({ files, totals, actions }: UploadTotalsProps) {
  const format = useFormat();
  const { t } = format;
  const hintId = useId();
  // Pause all also holds the queued files back (pause() takes them too), but only offers itself while
  // something runs: with autoStart off, queued files are waiting for Start, not running.
  const running = files.some((f) => f.status === 'uploading');
  const paused = files.some((f) => f.status === 'paused');
  const waiting = files.some((f) => f.waiting === 'start');
  const group = running ? 'pause' : paused ? 'resume' : null;
  const blocked = totals.filesNeeded > 0;
  return (
    <div className="lu-totals">
      <ProgressBar label={t('allFiles')} value={totals.progress} valueText={format.progress(totals.progress, totals.bytesAcknowledged, totals.bytesTotal)} />
      <p className="lu-totals-text">{summary(totals, format)}</p>
      {blocked && (
        <p className="lu-totals-hint" id={hintId}>
          {t('filesNeeded', { n: totals.filesNeeded })}
        </p>
      )}
      {(waiting || (files.length > 1 && (group || totals.failed > 0))) && (
        <div className="lu-file-actions">
          {waiting && (
            <button
              type="button"
              className="lu-button lu-button-primary"
              data-command="start-all"
              aria-disabled={blocked || undefined}
              aria-describedby={blocked ? hintId : undefined}
              onClick={() => blocked || actions.start()}
            >
              {t('startAll')}
            </button>
          )}
          {group && files.length > 1 && (
            <button type="button" className="lu-button" data-command={`${group}-all`} onClick={() => actions[group]()}>
              {t(group === 'pause' ? 'pauseAll' : 'resumeAll')}
            </button>
          )}
          {totals.failed > 0 && files.length > 1 && (
            <button type="button" className="lu-button" data-command="retry-all" onClick={() => actions.retry()}>
              {t('retryAll')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
