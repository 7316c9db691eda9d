export { tus, type TusOptions } from './tus/tus.js';
export type { TusServerInfo } from './tus/discoverTus.js';
export { XhrHttpStack } from './http/XhrHttpStack.js';
