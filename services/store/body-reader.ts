/**
 * Opens a version's body, or a byte range of it, as one stream over its
 * segments. The blobs are registered with the reclaimer as being read until
 * the stream closes, so an overwrite or delete meanwhile does not cut it short.
 */
import { Readable, addAbortSignal } from 'node:stream';
import type { BlobStore } from './blob/blob-store.js';
import type { BlobReclaimer } from './blob-reclaimer.js';
import { decodeBodyRef } from './body-ref.js';
import type { ByteRange } from './types.js';

interface Piece {
  readonly id: string;
  readonly start: number;
  readonly end: number;
}

function piecesOf(bodyRef: string, size: number, range: ByteRange | undefined): Piece[] {
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  const out: Piece[] = [];
  let offset = 0;
  for (const seg of decodeBodyRef(bodyRef)) {
    const segEnd = offset + seg.size - 1;
    if (seg.size > 0 && segEnd >= start && offset <= end) {
      out.push({ id: seg.id, start: Math.max(start, offset) - offset, end: Math.min(end, segEnd) - offset });
    }
    offset += seg.size;
    if (offset > end) break;
  }
  return out;
}

async function* concat(blobs: BlobStore, pieces: readonly Piece[]): AsyncGenerator<Buffer> {
  for (const p of pieces) {
    const stream = blobs.read(p.id, p.start, p.end);
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } finally {
      stream.destroy();
    }
  }
}

export function openBody(
  blobs: BlobStore,
  reclaimer: BlobReclaimer,
  version: { bodyRef: string; size: number },
  range?: ByteRange,
  signal?: AbortSignal,
): Readable {
  const pieces = piecesOf(version.bodyRef, version.size, range);
  if (pieces.length === 0) return Readable.from([], { objectMode: false });
  const ids = pieces.map((p) => p.id);
  reclaimer.retain(ids);
  let stream: Readable;
  try {
    const only = pieces.length === 1 ? (pieces[0] as Piece) : undefined;
    stream = only
      ? blobs.read(only.id, only.start, only.end)
      : Readable.from(concat(blobs, pieces), { objectMode: false });
  } catch (err) {
    reclaimer.release(ids);
    throw err;
  }
  stream.once('close', () => reclaimer.release(ids));
  if (signal) addAbortSignal(signal, stream);
  return stream;
}
