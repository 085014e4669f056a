/**
 * Resource limits of the Parquet reader. A Parquet file is hostile input: its
 * footer and page headers declare sizes and counts that the reader would
 * otherwise trust for allocations and loops. Every such number is checked
 * against these limits (and against the file size) before it is used.
 */
export interface ParquetLimits {
  /** Largest footer (FileMetaData) accepted; checked before the footer is read. */
  readonly maxFooterBytes: number;
  /** Largest decompressed page accepted (decompression bombs stop here). */
  readonly maxPageBytes: number;
  /** Most values one page may declare (bounds the arrays a page decodes into). */
  readonly maxValuesPerPage: number;
  /** Largest page header (thrift) accepted. */
  readonly maxPageHeaderBytes: number;
  /** How many bytes of a column chunk are fetched at once. */
  readonly readWindowBytes: number;
  /** Deepest thrift struct / schema nesting accepted. */
  readonly maxNesting: number;
}

export const DEFAULT_PARQUET_LIMITS: ParquetLimits = Object.freeze({
  maxFooterBytes: 64 * 1024 * 1024,
  maxPageBytes: 256 * 1024 * 1024,
  maxValuesPerPage: 16 * 1024 * 1024,
  maxPageHeaderBytes: 16 * 1024 * 1024,
  readWindowBytes: 8 * 1024 * 1024,
  maxNesting: 64,
});
