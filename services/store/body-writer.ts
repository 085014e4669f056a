/**
 * Streams a request body into a staged blob in one pass: counts bytes, computes
 * MD5 and the requested checksum, enforces the size limits, then verifies the
 * digests the client sent. Bodies are never held whole in memory: they are
 * hashed in batches of up to 1 MiB, and a batch's bytes go to the thread pool
 * to be written as each 256 KiB of it arrives, so the file fills while the
 * rest is received (1 MiB PUTs one at a time: 176 against 127 a second when
 * the whole batch was awaited first). The last batch is hashed while the
 * blob is fsynced (a pooled hasher gets it with the digest request, so a
 * body of one batch costs one message to the hash thread and one back).
 * Large bodies are hashed on a HashPool thread when the store has one
 * (hash/hash-pool.ts). An empty body creates no blob at all.
 *
 * A body larger than one write (or of unknown size) is gathered: each chunk
 * is copied, as it arrives, into a 1 MiB buffer the hasher lends, and let go
 * at once. A full buffer, once written, moves to the hash thread as it is,
 * and the next batch is gathered in another. Held until their batch was
 * written and hashed, the chunks (new 64 KiB buffers, one per socket read)
 * outlived the young-generation GCs that external memory starts, and those
 * promoted to the old generation counted towards V8's limit for a full GC:
 * sixteen 64 MiB PUTs at once ran 53–66 mark-compacts in 3 GiB, against 1–16
 * gathered (439–500 against 501–557 MB/s on the same machine). The copy
 * replaces the one the pooled hasher made of each batch before.
 * A chunk of a request, once copied, is released at once (releaseReadChunk).
 * Smaller bodies are written in one call once whole, their chunks held only
 * that long, and hashed inline.
 * On any failure (bad digest, too large, abort) the staged file is removed.
 */
import type { Readable } from 'node:stream';
import { noteChunkBytes, openChunkStream, releaseReadChunk } from '../../shared/chunk-gc.js';
import { errors } from '../../shared/errors.js';
import type { BlobStore, BlobWriter } from './blob/blob-store.js';
import { isBase64Of, isWellFormedChecksum } from './checksums.js';
import { InlineHasher, type BodyHasher } from './hash/body-hasher.js';
import type { HashPool } from './hash/hash-pool.js';
import type { ChecksumAlgorithm } from './types.js';

const BATCH_BYTES = 1024 * 1024;
/**
 * A batch's bytes go to the writer as each this many arrive, not once the
 * batch is whole: the file fills while the rest of the body is received.
 */
const WRITE_AHEAD_BYTES = 256 * 1024;
/** Bodies from this size (or of unknown size) are hashed on a HashPool thread when there is one. */
export const POOLED_HASH_MIN_BYTES = 256 * 1024;
/**
 * Bodies larger than this (or of unknown size) are gathered in pooled
 * buffers (see the file comment); smaller ones are written in one call as
 * soon as they are whole, their chunks held only that long.
 */
export const GATHER_MIN_BYTES = WRITE_AHEAD_BYTES;
/**
 * A body of a known size up to this (one batch) is hashed on the request
 * thread when no other body is being written: at its end the thread has
 * nothing else to do, and the 1.4 ms MD5 of 1 MiB there took less than
 * the copy, the message to a hash thread, its wake-up and its reply (2.0–2.7
 * ms from the last byte to the digest). With other bodies streaming in,
 * hash threads hash them side by side (hash/hash-pool.ts).
 */
export const INLINE_ALONE_MAX_BYTES = BATCH_BYTES;
/** Bodies being written now (writeBody calls under way). */
let writing = 0;

export interface BodyLimits {
  readonly maxSize?: number;
  readonly contentLength?: number;
  readonly contentMd5?: string;
  readonly checksumAlgorithm?: ChecksumAlgorithm;
  readonly checksumValue?: string;
  readonly trailingChecksum?: () => string | undefined;
  readonly signal?: AbortSignal;
}

export interface WrittenBody {
  /** Undefined for an empty body. */
  readonly blobId: string | undefined;
  readonly size: number;
  /** Lower-case hex MD5. */
  readonly md5: string;
  /** Base64 checksum when an algorithm was requested. */
  readonly checksum: string | undefined;
  /** Removes the staged blob (when the commit did not happen). */
  discard(): Promise<void>;
}

/** Rejects malformed Content-MD5 / checksum headers before any byte is read. */
export function checkDigestHeaders(opts: BodyLimits): void {
  if (opts.contentMd5 !== undefined && !isBase64Of(opts.contentMd5, 16)) throw errors.make('InvalidDigest');
  if (opts.checksumValue !== undefined) {
    const alg = opts.checksumAlgorithm;
    if (alg === undefined || !isWellFormedChecksum(alg, opts.checksumValue)) {
      throw errors.invalidRequest(
        `Value for x-amz-checksum-${(alg ?? 'crc32').toLowerCase()} header is invalid.`,
      );
    }
  }
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
}

export async function writeBody(
  blobs: BlobStore,
  body: Readable,
  opts: BodyLimits,
  hashPool?: HashPool,
): Promise<WrittenBody> {
  checkDigestHeaders(opts);
  const { signal } = opts;
  if (signal?.aborted) throw abortError(signal);
  // One batch, and no other body being written: hashed here, at its end, while the blob's
  // last write is made durable (see INLINE_ALONE_MAX_BYTES); the blob store may write it
  // with O_DSYNC for that (local-blob-store.ts).
  const alone =
    writing === 0 && opts.contentLength !== undefined && opts.contentLength <= INLINE_ALONE_MAX_BYTES;
  const pooled =
    hashPool !== undefined &&
    !alone &&
    (opts.contentLength === undefined || opts.contentLength >= POOLED_HASH_MIN_BYTES);
  const hasher: BodyHasher = pooled
    ? hashPool.open(opts.checksumAlgorithm)
    : new InlineHasher(opts.checksumAlgorithm);
  let hashed = false;
  let writer: BlobWriter | undefined;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  /** The tail of the batch not yet handed to the writer. */
  let unwritten: Buffer[] = [];
  let unwrittenBytes = 0;
  /** Writes under way: the batch's bytes so far, out while the rest arrives. */
  let writes: Promise<void>[] = [];
  let size = 0;
  let flushed: Promise<void> | undefined;
  /** The staged blob, created with the first bytes to write. */
  const blob = (): BlobWriter => (writer ??= blobs.create(opts.contentLength, alone));
  const writeOut = (w: BlobWriter): void => {
    const wrote = w.write(unwritten);
    wrote.catch(() => undefined); // awaited with the batch, or before the discard
    writes.push(wrote);
    unwritten = [];
    unwrittenBytes = 0;
  };
  /** The buffer the batch is gathered in, when it is (see the file comment). */
  let gather =
    opts.contentLength === undefined || opts.contentLength > GATHER_MIN_BYTES
      ? hasher.batchBuffer(BATCH_BYTES)
      : undefined;
  const onAbort = () => body.destroy(abortError(signal as AbortSignal) as Error);
  signal?.addEventListener('abort', onAbort, { once: true });
  const closeChunkStream = openChunkStream();
  writing++;
  try {
    // destroyOnReturn false: stopping early (EntityTooLarge) must leave the request
    // stream alone so the handler can still answer on the connection.
    for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer | string>) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      noteChunkBytes(buf.length);
      if (opts.maxSize !== undefined && size > opts.maxSize) {
        throw errors.make('EntityTooLarge', undefined, { MaxSizeAllowed: opts.maxSize });
      }
      if (opts.contentLength !== undefined && size > opts.contentLength) throw errors.make('IncompleteBody');
      // Gathered, the chunk's bytes are copied into the batch's buffer (a batch ends
      // where the buffer does, mid-chunk if need be); else the chunk is the piece.
      for (let at = 0; at < buf.length;) {
        const piece = gather
          ? gather.subarray(batchBytes, batchBytes + buf.copy(gather, batchBytes, at))
          : buf;
        at += piece.length;
        batch.push(piece);
        batchBytes += piece.length;
        unwritten.push(piece);
        unwrittenBytes += piece.length;
        // The body's end (its size known from Content-Length) is written after
        // the loop, with the fsync; its last batch is hashed with the digest.
        if (size - (buf.length - at) === opts.contentLength) continue;
        if (unwrittenBytes >= WRITE_AHEAD_BYTES) writeOut(blob());
        if (batchBytes >= BATCH_BYTES) {
          if (gather) {
            // The buffer goes to the hasher whole: every byte of it is written first.
            if (unwrittenBytes > 0) writeOut(blob());
            await Promise.all(writes);
            const full = gather;
            gather = undefined; // the hasher's now, even if it fails
            const admitted = hasher.updateBuffer(full, batchBytes);
            gather = hasher.batchBuffer(BATCH_BYTES);
            await admitted;
          } else {
            // The batch's writes run on the thread pool while the same bytes are hashed.
            await Promise.all([...writes, hasher.update(batch)]);
          }
          writes = [];
          batch = [];
          batchBytes = 0;
        }
      }
      // Copied into the batch's buffer, the chunk is done with (shared/chunk-gc.ts).
      if (gather) releaseReadChunk(body, buf);
    }
    if (signal?.aborted) throw abortError(signal);
    if (opts.contentLength !== undefined && size !== opts.contentLength) throw errors.make('IncompleteBody');
    if (size > 0) {
      // Write and fsync the rest while the last batch is hashed; a digest that
      // turns out wrong discards the blob below.
      const w = blob();
      if (unwritten.length > 0) writeOut(w);
      flushed = Promise.all(writes).then(() => w.finish());
      flushed.catch(() => undefined); // awaited below, or before the discard
    }
    hashed = true;
    const digests = await hasher.digest(batch);
    const md5Bytes = digests.md5;
    if (opts.contentMd5 !== undefined && !md5Bytes.equals(Buffer.from(opts.contentMd5, 'base64'))) {
      throw errors.make('BadDigest');
    }
    const checksum = digests.checksum?.toString('base64');
    const expected = opts.checksumValue ?? opts.trailingChecksum?.();
    if (expected !== undefined && checksum !== undefined && expected !== checksum) {
      throw errors.make(
        'BadDigest',
        `The ${opts.checksumAlgorithm} you specified did not match the calculated checksum.`,
      );
    }
    await flushed;
    const w = writer;
    return {
      blobId: w?.id,
      size,
      md5: md5Bytes.toString('hex'),
      checksum,
      discard: async () => w?.discard(),
    };
  } catch (err) {
    if (!hashed) hasher.discard();
    // No discard while a write is in flight.
    await Promise.allSettled([...writes, flushed]);
    await writer?.discard().catch(() => undefined);
    throw err;
  } finally {
    writing--;
    // Nothing reads it now: every write has settled, and digest() copies or hashes when called.
    if (gather) hasher.returnBuffer(gather);
    closeChunkStream();
    signal?.removeEventListener('abort', onAbort);
  }
}
