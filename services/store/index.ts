/** The store's entry point: app.ts and the CLI create the store through this. */
import type { Logger } from '../../shared/logger.js';
import { StrataObjectStore } from './object-store.js';
import type { ObjectStore } from './types.js';

export function createStore(opts: {
  dataDir: string;
  log: Logger;
  region?: string;
  /** false: a process beside the server that must not take over the data dir (strata worker). */
  ownsDataDir?: boolean;
}): ObjectStore {
  return new StrataObjectStore(opts);
}
