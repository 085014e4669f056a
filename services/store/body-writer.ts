/**
 * Streams a request body into a staged blob in one pass: counts bytes, computes
 * MD5 and the requested checksum, enforces the size limits, then verifies the
 * digests the client sent. Bodies are written in batches of up to 1 MiB and
 * never held whole in memory; each batch is hashed while the thread pool
 * writes it, and the last one while the blob is fsynced (a pooled hasher
 * gets the last batch with the digest request, so a body of one batch costs
 * one message to the hash thread and one back). Large bodies are
 * hashed on a HashPool thread when the store has one (hash/hash-pool.ts).
 * An empty body creates no blob at all.
 * On any failure (bad digest, too large, abort) the staged file is removed.
 */
import type { Readable } from 'node:stream';
import { errors } from '../../shared/errors.js';
import type { BlobStore, BlobWriter } from './blob/blob-store.js';
import { isBase64Of, isWellFormedChecksum } from './checksums.js';
import { InlineHasher, type BodyHasher } from './hash/body-hasher.js';
import type { HashPool } from './hash/hash-pool.js';
import type { ChecksumAlgorithm } from './types.js';

const BATCH_BYTES = 1024 * 1024;
/** Bodies from this size (or of unknown size) are hashed on a HashPool thread when there is one. */
export const POOLED_HASH_MIN_BYTES = 256 * 1024;

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
  const pooled =
    hashPool !== undefined &&
    (opts.contentLength === undefined || opts.contentLength >= POOLED_HASH_MIN_BYTES);
  const hasher: BodyHasher = pooled
    ? hashPool.open(opts.checksumAlgorithm)
    : new InlineHasher(opts.checksumAlgorithm);
  let hashed = false;
  let writer: BlobWriter | undefined;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let size = 0;
  let flushed: Promise<void> | undefined;
  const onAbort = () => body.destroy(abortError(signal as AbortSignal) as Error);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // destroyOnReturn false: stopping early (EntityTooLarge) must leave the request
    // stream alone so the handler can still answer on the connection.
    for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer | string>) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (opts.maxSize !== undefined && size > opts.maxSize) {
        throw errors.make('EntityTooLarge', undefined, { MaxSizeAllowed: opts.maxSize });
      }
      if (opts.contentLength !== undefined && size > opts.contentLength) throw errors.make('IncompleteBody');
      batch.push(buf);
      batchBytes += buf.length;
      // A body's last batch (its size known from Content-Length) is written and
      // hashed after the loop, with the fsync and the digest.
      if (batchBytes >= BATCH_BYTES && size !== opts.contentLength) {
        writer ??= blobs.create();
        // The write runs on the thread pool while the same bytes are hashed.
        const wrote = writer.write(batch);
        await Promise.all([wrote, hasher.update(batch)]);
        batch = [];
        batchBytes = 0;
      }
    }
    if (signal?.aborted) throw abortError(signal);
    if (opts.contentLength !== undefined && size !== opts.contentLength) throw errors.make('IncompleteBody');
    if (size > 0) {
      // Write and fsync the rest while the last batch is hashed; a digest that
      // turns out wrong discards the blob below.
      const w = (writer ??= blobs.create());
      const rest = batch;
      flushed = (rest.length > 0 ? w.write(rest) : Promise.resolve()).then(() => w.finish());
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
    await flushed?.catch(() => undefined); // no discard while a write is in flight
    await writer?.discard().catch(() => undefined);
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
