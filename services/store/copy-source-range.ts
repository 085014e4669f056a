/**
 * x-amz-copy-source-range of UploadPartCopy: "bytes=first-last", both
 * zero-based and inclusive, within the source object.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
 */
import { errors } from '../../shared/errors.js';
import type { ByteRange } from './types.js';

const FORM =
  'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy';

export function parseCopySourceRange(header: string, size: number): ByteRange {
  const m = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  if (!m) throw errors.invalidArgument(FORM, 'x-amz-copy-source-range', header);
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > end) throw errors.invalidArgument(FORM, 'x-amz-copy-source-range', header);
  // What S3 answers for a range past the end of the source (observed, not documented).
  if (end >= size) {
    throw errors.invalidArgument(
      `Range specified is not valid for source object of size: ${size}`,
      'x-amz-copy-source-range',
      header,
    );
  }
  return { start, end };
}
