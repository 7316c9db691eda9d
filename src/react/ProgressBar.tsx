import type { CSSProperties } from 'react';
import { toPercent, useFormat } from './format.js';

export interface ProgressBarProps {
  /** 0..1 */
  value: number;
  /** Accessible name, e.g. "résumé.pdf". */
  label: string;
  /** Spoken value; defaults to the percentage in the locale's language ("42%", "42 %"). */
  valueText?: string;
  className?: string;
  /** Current state for styling, mirrored as data-status. */
  status?: string;
  /** 'meter' for a level that goes down as well as up (memory); default 'progressbar'. */
  role?: 'progressbar' | 'meter';
}

/** A progress bar with ARIA values in whole percent; the fill scales with --lu-progress. */
export function ProgressBar({ value, label, valueText, className, status, role = 'progressbar' }: ProgressBarProps) {
  const format = useFormat();
  const percent = toPercent(value);
  const style = { '--lu-progress': percent / 100 } as CSSProperties;
  return (
    <div
      role={role}
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={valueText ?? format.percent(value)}
      className={className ? `lu-progress ${className}` : 'lu-progress'}
      data-status={status}
      style={style}
    >
      <div className="lu-progress-fill" />
    </div>
  );
}
