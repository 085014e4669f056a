/**
 * Enforces a POST policy's content-length-range (and the server's largest
 * object) on the file part while it streams: too many bytes fail the stream
 * at once with EntityTooLarge, too few fail it at the end with EntityTooSmall,
 * so the store commits nothing in either case. The messages and elements are
 * the ones S3 sends for a POST ("… allowed size", ProposedSize, Max/MinSizeAllowed).
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { errors } from '../../../shared/errors.js';
import type { LengthRange } from '../auth/post-policy-check.js';
import { formError } from './post-object-form.js';

export class FileSizeCheck extends Transform {
  private size = 0;
  private readonly max: number;
  private readonly min: number;

  constructor(range: LengthRange | undefined, maxObjectSize: number) {
    super();
    this.max = Math.min(range?.max ?? Infinity, maxObjectSize);
    this.min = range?.min ?? 0;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.max) {
      cb(
        errors.make('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
          ProposedSize: this.size,
          MaxSizeAllowed: this.max,
        }),
      );
      return;
    }
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    if (this.size < this.min) {
      cb(
        errors.make('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
          ProposedSize: this.size,
          MinSizeAllowed: this.min,
        }),
      );
      return;
    }
    cb();
  }
}

/** The file stream through a size check; a parser failure reaches the reader as S3's error. */
export function sizeChecked(
  file: Readable,
  range: LengthRange | undefined,
  maxObjectSize: number,
): FileSizeCheck {
  const check = new FileSizeCheck(range, maxObjectSize);
  file.on('error', (e) => check.destroy(formError(e)));
  file.pipe(check);
  return check;
}
