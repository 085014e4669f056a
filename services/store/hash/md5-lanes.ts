/**
 * The optional md5-lanes addon (shared/native/md5-lanes, built by node-gyp
 * at `npm install`): MD5 states that one call updates together, up to
 * sixteen bodies side by side on CPUs with AVX-512 or AVX2, where one MD5
 * alone is a chain of dependent steps that leaves most of the core idle.
 * Hash threads use it to hash the batches of concurrent uploads in one pass
 * (hash-thread.ts). Undefined when it is not built, or when the CPU would
 * hash one body at a time anyway: then node:crypto's MD5 serves, as before.
 */
import { loadOptionalAddon } from '../../../shared/optional-addon.js';

export interface Md5Lanes {
  newState(): Buffer;
  update(states: readonly Buffer[], data: readonly Uint8Array[]): void;
  digest(state: Buffer): Buffer;
  lanes(): number;
  /** What update() runs: "avx512", "avx2" or "openssl". */
  kernel(): string;
  /** Runs another kernel this CPU has (tests); false, and no change, if it has not. */
  useKernel(name: string): boolean;
}

export const md5Lanes = loadOptionalAddon<Md5Lanes>('strata-md5-lanes', (a) => a.lanes() > 1);
