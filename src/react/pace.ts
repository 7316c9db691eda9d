import type { Format } from './format.js';

/**
 * Speed and time left of a running file or of all files ("1.2 MB/s", "2 min left"), those known.
 * Apart from format.ts: only the rows and totals use it, and they load with the widget's file panel.
 */
export function pace({ speed, eta }: { speed: number; eta: number | null }, format: Format): string[] {
  const left = format.eta(eta);
  return [speed > 0 && format.speed(speed), left && format.t('timeLeft', { time: left })].filter((part): part is string => !!part);
}
