import { createContext } from 'react';
import { systemClock } from '../index.js';
import type { Clock } from '../index.js';

/**
 * The time source of the memory chart's sampling. A test seam, not public API (src/react.ts does not
 * export it): tests wrap a component in its Provider with a fake clock, so no public prop exists for it.
 */
export const ClockContext = createContext<Clock>(systemClock);
