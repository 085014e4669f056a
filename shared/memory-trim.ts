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
 *
 * When a burst of requests ends (BURST_MIN_REQUESTS or more were in flight
 * at once, and now none is), the dead buffers it left in V8's young
 * generation are collected at once (a minor GC, ~1 ms) and the heap trimmed
 * BURST_TRIM_DELAY_MS later, at most once per BURST_INTERVAL_MS: the server
 * gives back what the burst used instead of holding it until the next one.
 * After bench:s3's cells (the last one sixteen 64 MiB GETs at once), then a
 * 1 GiB object in and out: RSS 156–191 MB right after the cells and 182–193
 * at the peak, against 190–199 and 207–212 without (three runs each). The
 * cost falls on the next burst, whose first allocations fault the pages in
 * again: 200 1 MiB PUTs at concurrency 16 after an idle gap took 4.1–5.4
 * against 3.9–5.1 ms of CPU each (five pairs, a median 10% more).
 * Pools of reusable buffers registered with shrinkAfterBursts() let go of
 * what they keep beyond a couple of buffers first, so the minor GC frees
 * those too.
 * A full GC there freed 20–30 MB more, but left V8 much slower for the next
 * burst (7.5–9.5 against 4.8–6.0 ms per PUT), so old garbage is left to V8.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { collectYoung } from './chunk-gc.js';
import { loadOptionalAddon } from './optional-addon.js';

const TRIM_DELAY_MS = 100;
const TRIM_INTERVAL_MS = 1000;
/** Requests in flight at once that make a burst (see the file comment). */
export const BURST_MIN_REQUESTS = 4;
const BURST_INTERVAL_MS = 1000;
/** After the minor GC: V8 frees the dead buffers' memory on a helper thread. */
const BURST_TRIM_DELAY_MS = 20;

/** Something that keeps memory for reuse and can let most of it go (a buffer pool). */
export interface Shrinkable {
  shrink(): void;
}

/** Held weakly: a pool nobody uses any more is forgotten with it. */
const shrinkables = new Set<WeakRef<Shrinkable>>();

/** Registers a pool whose shrink() runs when a burst of requests has ended (see the file comment). */
export function shrinkAfterBursts(pool: Shrinkable): void {
  shrinkables.add(new WeakRef(pool));
}

function shrinkAll(): void {
  for (const ref of shrinkables) {
    const pool = ref.deref();
    if (pool) pool.shrink();
    else shrinkables.delete(ref);
  }
}

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
  /** A request has started; call the function returned (once) when it has ended. */
  requestStarted(): () => void;
  stop(): void;
}

/** Trims after garbage collections, as the file comment says; undefined when trimming is not available. */
export function startMemoryTrim(
  opts: { delayMs?: number; intervalMs?: number; burstIntervalMs?: number } = {},
): MemoryTrimmer | undefined {
  if (!addon) return undefined;
  const delay = opts.delayMs ?? TRIM_DELAY_MS;
  const interval = opts.intervalMs ?? TRIM_INTERVAL_MS;
  const burstInterval = opts.burstIntervalMs ?? BURST_INTERVAL_MS;
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  let trims = 0;
  let stopped = false;
  /** Requests in flight, and the most at once since the last burst's release. */
  let inFlight = 0;
  let most = 0;
  let lastBurst = 0;
  const burstEnded = (): void => {
    most = 0;
    lastBurst = Date.now();
    setImmediate(() => {
      if (stopped || inFlight > 0) return; // another burst has begun: it will end too
      shrinkAll();
      collectYoung();
      clearTimeout(timer);
      timer = setTimeout(run, BURST_TRIM_DELAY_MS);
      timer.unref();
    });
  };
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
    requestStarted() {
      inFlight++;
      most = Math.max(most, inFlight);
      let open = true;
      return () => {
        if (!open) return;
        open = false;
        inFlight--;
        if (inFlight === 0 && most >= BURST_MIN_REQUESTS && Date.now() - lastBurst >= burstInterval) {
          burstEnded();
        }
      };
    },
    stop() {
      stopped = true;
      observer.disconnect();
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
