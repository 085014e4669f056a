/**
 * Gives the memory malloc holds but no longer uses back to the system, soon
 * after V8 has freed buffers.
 *
 * Request bodies, socket reads and read chunks live in ArrayBuffers that V8
 * allocates with malloc and frees when it collects them. glibc keeps what is
 * freed: its heap only shrinks from the top, so after a burst of concurrent
 * large PUTs and GETs the server's RSS stayed 60–100 MB above what it used,
 * in free chunks below a chunk still in use. glibc's malloc_trim(0) releases
 * the pages of those free chunks (madvise), which free() never does.
 *
 * Node has no binding for it, so it comes from a small optional addon
 * (shared/native/malloc-trim, built by node-gyp at `npm install`). Without it
 * (no compiler at install time, or not glibc) nothing is trimmed and the
 * server runs as before; `available` says which.
 *
 * After a garbage collection, a trim runs TRIM_DELAY_MS later (V8 frees the
 * backing stores of dead buffers on a background thread after the GC), at
 * most once per TRIM_INTERVAL_MS: under steady load about once a second, and
 * not at all while the process is idle (no GCs, nothing newly freed).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { loadOptionalAddon } from './optional-addon.js';

const TRIM_DELAY_MS = 100;
const TRIM_INTERVAL_MS = 1000;

interface TrimAddon {
  trim(): boolean;
  supported(): boolean;
}

const addon = loadOptionalAddon<TrimAddon>('strata-malloc-trim', (a) => a.supported());

/** Whether this process can give free malloc memory back (the addon is built, and libc is glibc). */
export const trimAvailable = addon !== undefined;

/** Runs malloc_trim(0) now; true when memory went back to the system. */
export function trimNow(): boolean {
  return addon?.trim() ?? false;
}

export interface MemoryTrimmer {
  /** Trims run so far. */
  readonly trims: number;
  stop(): void;
}

/** Trims after garbage collections, as the file comment says; undefined when trimming is not available. */
export function startMemoryTrim(
  opts: { delayMs?: number; intervalMs?: number } = {},
): MemoryTrimmer | undefined {
  if (!addon) return undefined;
  const delay = opts.delayMs ?? TRIM_DELAY_MS;
  const interval = opts.intervalMs ?? TRIM_INTERVAL_MS;
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  let trims = 0;
  const run = (): void => {
    timer = undefined;
    last = Date.now();
    addon.trim();
    trims++;
  };
  const observer = new PerformanceObserver(() => {
    if (timer) return;
    const wait = Math.max(delay, last + interval - Date.now());
    timer = setTimeout(run, wait);
    timer.unref();
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    get trims() {
      return trims;
    },
    stop() {
      observer.disconnect();
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
