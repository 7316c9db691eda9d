import type { LinkShape } from './ShapingProxy.js';

export type NetworkId = 'loopback' | 'fast' | 'slow';

export interface Network {
  id: NetworkId;
  label: string;
  /** Undefined: plain loopback, no proxy. */
  shape?: LinkShape;
}

/** The links every contender runs over: loopback (CPU-bound) and two shaped home uplinks. */
export const NETWORKS: readonly Network[] = [
  { id: 'loopback', label: 'loopback' },
  { id: 'fast', label: '100 Mbit/s, 40 ms RTT', shape: { uploadBitsPerSecond: 100e6, rttMs: 40 } },
  { id: 'slow', label: '20 Mbit/s, 150 ms RTT', shape: { uploadBitsPerSecond: 20e6, rttMs: 150 } },
];

export function networkById(id: NetworkId): Network {
  const found = NETWORKS.find((network) => network.id === id);
  if (!found) throw new Error(`unknown network ${id}`);
  return found;
}
