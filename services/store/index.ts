/** The store's entry point: app.ts and the CLI create the store through this. */
import type { Logger } from '../../shared/logger.js';
import { StrataObjectStore } from './object-store.js';
import type { ObjectStore } from './types.js';

export function createStore(opts: { dataDir: string; log: Logger }): ObjectStore {
  return new StrataObjectStore({ dataDir: opts.dataDir, log: opts.log });
}
