/**
 * Checks a signed single-chunk payload: the body passes through unchanged
 * while its SHA-256 is computed, and at the end it must equal the hex digest
 * the client signed in x-amz-content-sha256, else the stream fails with
 * XAmzContentSHA256Mismatch (so the store never commits the object).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { authErrors } from './auth-errors.js';

export class PayloadVerifier extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private readonly expected: string;

  /** `expectedHex`: the x-amz-content-sha256 value (either case). */
  constructor(expectedHex: string) {
    super();
    this.expected = expectedHex.toLowerCase();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    const computed = this.hash.digest('hex');
    cb(computed === this.expected ? null : authErrors.contentSha256Mismatch(this.expected, computed));
  }
}
