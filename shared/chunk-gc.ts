/**
 * Frees request-body chunks soon after they are done with, instead of at
 * V8's next garbage collection of its own choosing.
 *
 * Each socket read of a request body is a new 64 KiB buffer. Once written and
 * hashed it is garbage, but its memory lives outside V8's heap: the young
 * generation hardly grows while bodies stream, so V8 collects only when the
 * external memory has grown by tens of MB. A server streaming 64 MiB PUTs
 * held up to 68 MB of dead chunks, and its RSS with them (a script making
 * 1 GiB of 64 KiB buffers peaked at 51–68 MB of them; with a minor GC every
 * 8 MiB, at 8.5 MB).
 *
 * So after every COLLECT_EVERY_BYTES of chunks reported here, a minor GC (a
 * scavenge of the young generation, about 0.4–1 ms on the request thread)
 * frees the dead ones, as long as at most EARLY_GC_MAX_STREAMS bodies are
 * streaming in. With many at once the chunks in flight are many too: each
 * scavenge copies them and moves them to the old generation, and sixteen
 * 64 MiB PUTs at once cost 219 against 191 ms of CPU each with a minor GC
 * every 8 MiB (one PUT at a time: no difference). V8's own collections come
 * soon enough then. Chunks that outlive minor GCs are collected by one major
 * GC once no chunk has come for IDLE_COLLECT_MS. Node has no API for a GC: `--expose-gc` is set at
 * first use and the `gc` function taken from a fresh context (V8 defines it
 * in contexts made after the flag is set). Where that fails, nothing is
 * collected early.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

export const COLLECT_EVERY_BYTES = 8 * 1024 * 1024;
/** Quiet time after the last chunk before the chunks kept past a minor GC are collected too. */
export const IDLE_COLLECT_MS = 1000;
/** Fewer chunk bytes than this since the last such collection: not worth one. */
const IDLE_COLLECT_MIN_BYTES = 4 * 1024 * 1024;
const TIMER_STEP_BYTES = 1024 * 1024;

type GcFunction = (options?: { type: 'minor' | 'major' }) => void;

function exposeGc(): GcFunction | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as GcFunction) : undefined;
  } catch {
    return undefined;
  }
}

/** Bodies streaming in at once up to which chunks are collected early. */
export const EARLY_GC_MAX_STREAMS = 2;

let gc: GcFunction | undefined | null = null;
let streams = 0;
let pending = 0;
let sinceMajor = 0;
let idle: NodeJS.Timeout | undefined;

/** Collections made here so far (tests). */
export const chunkCollections = { minor: 0, major: 0 };

function collect(type: 'minor' | 'major'): void {
  if (gc === null) gc = exposeGc();
  if (!gc) return;
  // gc() with no options: V8's { type: 'major' } left old-generation buffers uncollected (Node 20).
  if (type === 'minor') gc({ type });
  else gc();
  chunkCollections[type]++;
}

/** Reports `bytes` of chunks read that are garbage once handled (see the file comment). */
export function noteChunkBytes(bytes: number): void {
  pending += bytes;
  if (pending >= COLLECT_EVERY_BYTES) {
    pending = 0;
    if (streams <= EARLY_GC_MAX_STREAMS) collect('minor');
  }
  noteDroppedBytes(bytes);
}

/**
 * Reports `bytes` of buffers let go (a read buffer or hash batch not kept for
 * reuse): no minor GC for them (many in use at once is what lets them go),
 * only the major one once things are quiet.
 */
export function noteDroppedBytes(bytes: number): void {
  const before = sinceMajor;
  sinceMajor += bytes;
  // The quiet-time timer moves on once per MiB, not per chunk (small requests come by the thousand).
  if (Math.floor(before / TIMER_STEP_BYTES) === Math.floor(sinceMajor / TIMER_STEP_BYTES)) return;
  if (idle) idle.refresh();
  else {
    idle = setTimeout(() => {
      idle = undefined;
      if (sinceMajor < IDLE_COLLECT_MIN_BYTES) return;
      sinceMajor = 0;
      collect('major');
    }, IDLE_COLLECT_MS);
    idle.unref();
  }
}

/** A body starts streaming in; call the function returned when it has ended (once). */
export function openChunkStream(): () => void {
  streams++;
  let open = true;
  return () => {
    if (open) streams--;
    open = false;
  };
}
