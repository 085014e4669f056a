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
 * soon enough then.
 *
 * Buffers kept for reuse and then let go (a read buffer or hash batch beyond
 * what the pools keep) have lived long enough to be in the old generation,
 * which only a full GC frees. releaseBuffer() moves such a buffer's memory
 * into a fresh, young ArrayBuffer that nothing references (structuredClone
 * with transfer, which copies nothing), so the next minor GC frees it. A full
 * GC forced once the server was quiet freed them too, but left V8 slower for
 * the next burst: its helper threads then spent 17–22 against 6–8 ms per
 * 64 MiB PUT at concurrency 16.
 *
 * A request body's chunks are the same kind of garbage once a reader has
 * copied them (body-writer.ts gathers large bodies into pooled buffers). The
 * ones that were still waiting in the stream when a scavenge came (a body
 * held back while its earlier bytes are written and hashed) are promoted
 * too: after sixteen 64 MiB PUTs at once, a full GC freed 20–28 MB of
 * buffers that a minor one did not. A stream marked with
 * markChunksDisposable() hands out chunks that nothing else holds, so its
 * reader releases each one it has copied: the server's peak RSS under that
 * load went from 223–224 to 201–206 MB.
 *
 * Node has no API for a GC: `--expose-gc` is set at first use and the `gc`
 * function taken from a fresh context (V8 defines it in contexts made after
 * the flag is set). Where that fails, nothing is collected early.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

export const COLLECT_EVERY_BYTES = 8 * 1024 * 1024;
/** Bodies streaming in at once up to which chunks are collected early. */
export const EARLY_GC_MAX_STREAMS = 2;

type GcFunction = (options: { type: 'minor' }) => void;

function exposeGc(): GcFunction | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as GcFunction) : undefined;
  } catch {
    return undefined;
  }
}

let gc: GcFunction | undefined | null = null;
/** Streams whose chunks are disposable once read (markChunksDisposable). */
const disposable = new WeakSet<object>();
let streams = 0;
let pending = 0;

/** Minor GCs run here so far (tests). */
export let chunkCollections = 0;

/** Reports `bytes` of chunks read that are garbage once handled (see the file comment). */
export function noteChunkBytes(bytes: number): void {
  pending += bytes;
  if (pending < COLLECT_EVERY_BYTES) return;
  pending = 0;
  if (streams > EARLY_GC_MAX_STREAMS) return;
  collectYoung();
}

/** Runs a minor GC now, when one can be run (memory-trim.ts, at the end of a burst). */
export function collectYoung(): void {
  if (gc === null) gc = exposeGc();
  if (!gc) return;
  gc({ type: 'minor' });
  chunkCollections++;
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

/**
 * Lets go of a buffer nothing will use again (any view of it becomes empty):
 * its memory goes with the next minor GC even if the buffer is old (see the
 * file comment).
 */
export function releaseBuffer(buffer: ArrayBuffer): void {
  if (buffer.byteLength > 0) structuredClone(buffer, { transfer: [buffer] });
}

/**
 * Marks a stream whose chunks are buffers of their own (not views of a larger
 * one) that nothing else keeps once they are read, as node:http delivers a
 * request body: a reader that has copied a chunk may release it (see the file
 * comment). Returns the stream.
 */
export function markChunksDisposable<T extends object>(stream: T): T {
  disposable.add(stream);
  return stream;
}

/** Releases a chunk read from `stream` and copied elsewhere, if the stream was marked disposable. */
export function releaseReadChunk(stream: object, chunk: Buffer): void {
  if (!disposable.has(stream)) return;
  const memory = chunk.buffer;
  if (chunk.byteOffset === 0 && chunk.byteLength === memory.byteLength && memory instanceof ArrayBuffer) {
    releaseBuffer(memory);
  }
}
