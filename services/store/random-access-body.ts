/**
 * ObjectStore.openRandomAccess: a version's body, possibly several blob
 * segments (one per multipart part), read by position. Each segment's blob
 * is opened when a read first reaches it and stays open until close(); the
 * blobs are registered with the reclaimer from the start, so an overwrite or
 * delete meanwhile does not remove them (as openBody does for streams).
 */
import type { BlobReader, BlobStore } from './blob/blob-store.js';
import type { BlobReclaimer } from './blob-reclaimer.js';
import { decodeBodyRef, type Segment } from './body-ref.js';
import type { RandomAccessBody } from './types.js';

interface Placed extends Segment {
  /** Offset of the segment's first byte in the body. */
  readonly offset: number;
}

function place(bodyRef: string): Placed[] {
  let offset = 0;
  return decodeBodyRef(bodyRef).map((s) => {
    const p = { ...s, offset };
    offset += s.size;
    return p;
  });
}

export function openRandomAccess(
  blobs: BlobStore,
  reclaimer: BlobReclaimer,
  version: { bodyRef: string; size: number },
  signal?: AbortSignal,
): RandomAccessBody {
  const segments = place(version.bodyRef).filter((s) => s.size > 0);
  const ids = segments.map((s) => s.id);
  reclaimer.retain(ids);
  const readers = new Map<number, Promise<BlobReader>>();
  let closing: Promise<void> | undefined;

  const readerOf = (i: number): Promise<BlobReader> => {
    let r = readers.get(i);
    if (!r) {
      r = blobs.openReader(segments[i]!.id);
      // A failed open surfaces to its read; close() must not trip on it.
      r.catch(() => undefined);
      readers.set(i, r);
    }
    return r;
  };

  const size = version.size;
  return {
    size,
    async read(start, endExclusive) {
      const ok = Number.isSafeInteger(start) && Number.isSafeInteger(endExclusive);
      if (!ok || start < 0 || start > endExclusive || endExclusive > size) {
        throw new RangeError(`read [${start}, ${endExclusive}) outside a body of ${size} bytes`);
      }
      if (closing) throw new Error('read after close');
      signal?.throwIfAborted();
      const out = Buffer.allocUnsafe(endExclusive - start);
      const reads: Promise<void>[] = [];
      for (let i = 0; i < segments.length; i++) {
        const s = segments[i]!;
        const from = Math.max(start, s.offset);
        const to = Math.min(endExclusive, s.offset + s.size);
        if (from >= to) continue;
        const target = out.subarray(from - start, to - start);
        reads.push(readerOf(i).then((r) => r.readAt(from - s.offset, target)));
      }
      await Promise.all(reads);
      signal?.throwIfAborted();
      return out;
    },
    close() {
      closing ??= (async () => {
        const opened = await Promise.allSettled(readers.values());
        await Promise.allSettled(opened.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
        reclaimer.release(ids);
      })();
      return closing;
    },
  };
}
