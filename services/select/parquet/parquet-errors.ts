/**
 * The three S3 errors a Parquet object can produce, and the one place where
 * any other failure met while decoding (a RangeError from a DataView past the
 * end of a truncated page, a TypeError from a malformed footer, a codec's own
 * error) becomes ParquetParsingError: hostile files never surface another type.
 */
import { S3Error, isS3Error } from '../../../shared/errors.js';

/** The file is not valid Parquet; `reason` is kept as the cause for the server log. */
export function parquetParsingError(reason: string, cause?: unknown): S3Error {
  return new S3Error('ParquetParsingError', undefined, { cause: cause ?? new Error(reason) });
}

export function unsupportedParquetType(what: string): S3Error {
  return new S3Error('UnsupportedParquetType', `The specified Parquet type is not supported: ${what}.`);
}

export function unsupportedCompressionCodec(codec: string): S3Error {
  return new S3Error(
    'ParquetUnsupportedCompressionCodec',
    `The specified Parquet compression codec is not supported: ${codec}.`,
  );
}

/** Any error thrown while decoding, as an S3Error (S3Errors pass through unchanged). */
export function asParquetError(e: unknown): S3Error {
  if (isS3Error(e)) return e;
  const reason = e instanceof Error ? e.message : String(e);
  return parquetParsingError(reason, e);
}

/** Runs `fn`, turning whatever it throws into an S3Error. */
export function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw asParquetError(e);
  }
}
