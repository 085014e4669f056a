/**
 * What a body writer hashes with: MD5 (the ETag) and the checksum the
 * request asked for. Inline hashers work on the calling thread; pooled ones
 * (hash-pool.ts) on a thread of their own, so that large bodies do not spend
 * the request thread's time hashing.
 */
import { createHash, type Hash } from 'node:crypto';
import { BufferPool } from '../buffer-pool.js';
import { createDigester, type Digester } from '../checksums.js';
import type { ChecksumAlgorithm } from '../types.js';

export interface BodyDigests {
  readonly md5: Buffer;
  /** Of the requested algorithm; undefined when none was requested. */
  readonly checksum: Buffer | undefined;
}

export interface BodyHasher {
  /**
   * Adds bytes, in order. The buffers must not change until the returned
   * promise (if any) resolves; waiting for it bounds the bytes not yet hashed.
   */
  update(chunks: readonly Buffer[]): Promise<void> | undefined;
  /**
   * The digests of every byte added, `last` included: the body's final
   * bytes, which a pooled hasher sends with the digest request (one message
   * to its thread instead of two). Call once, after the last update.
   */
  digest(last?: readonly Buffer[]): Promise<BodyDigests>;
  /** Forgets the state without a digest (the body failed). */
  discard(): void;
  /**
   * A buffer of at least `bytes` to gather a batch of the body in, which
   * updateBuffer() takes whole: a pooled hasher moves it to its thread
   * instead of copying the batch.
   */
  batchBuffer(bytes: number): Buffer;
  /**
   * Adds the first `length` bytes of a buffer batchBuffer() gave, and takes
   * the buffer: the caller must not touch it again. Like update(), the
   * returned promise (if any) bounds the bytes not yet hashed.
   */
  updateBuffer(buffer: Buffer, length: number): Promise<void> | undefined;
  /** Gives back a buffer batchBuffer() gave that updateBuffer() did not take. */
  returnBuffer(buffer: Buffer): void;
}

/** Batch buffers of inline hashers, reused body after body. */
const INLINE_BATCH_BYTES = 1024 * 1024;
const inlineBuffers = new BufferPool(INLINE_BATCH_BYTES, 8);

export class InlineHasher implements BodyHasher {
  private readonly md5: Hash = createHash('md5');
  private readonly checksum: Digester | undefined;

  constructor(alg: ChecksumAlgorithm | undefined) {
    this.checksum = alg === undefined ? undefined : createDigester(alg);
  }

  update(chunks: readonly Buffer[]): undefined {
    for (const c of chunks) {
      this.md5.update(c);
      this.checksum?.update(c);
    }
    return undefined;
  }

  digest(last: readonly Buffer[] = []): Promise<BodyDigests> {
    this.update(last);
    return Promise.resolve({ md5: this.md5.digest(), checksum: this.checksum?.digest() });
  }

  discard(): void {}

  batchBuffer(bytes: number): Buffer {
    return bytes <= INLINE_BATCH_BYTES ? inlineBuffers.take() : Buffer.allocUnsafeSlow(bytes);
  }

  updateBuffer(buffer: Buffer, length: number): undefined {
    this.update([buffer.subarray(0, length)]);
    this.returnBuffer(buffer);
    return undefined;
  }

  returnBuffer(buffer: Buffer): void {
    inlineBuffers.give(buffer); // ignored unless the pool lent it
  }
}
