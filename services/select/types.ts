/**
 * The seams of the S3 Select engine:
 *
 *   object bytes → (decompress) → reader (CSV | JSON | Parquet) → records
 *     → CompiledQuery (filter, project, aggregate, LIMIT) → output rows
 *     → writer (CSV | JSON) → bytes → event-stream encoder (Records, Stats, …)
 *
 * Readers know nothing of SQL and the engine knows nothing of formats: they
 * meet at InputRecord / OutputRow and at Projection (what the query needs, so a
 * reader can skip converting or even reading the rest). GraphQL and later
 * multi-object queries reuse the same pieces.
 */

/** A timestamp value of the S3 Select dialect (TO_TIMESTAMP, CAST AS TIMESTAMP, UTCNOW). */
export interface SelectTimestamp {
  readonly kind: 'timestamp';
  /** Milliseconds since the epoch, UTC. */
  readonly epochMs: number;
  /** Extra sub-millisecond digits, if the source had them (nanoseconds within the ms). */
  readonly nanos: number;
  /** Offset from UTC in minutes that the value was written with (kept for TO_STRING). */
  readonly offsetMinutes: number;
  /** Which parts the source text had: 'year' | 'month' | 'day' | 'minute' | 'second' | 'fraction'. */
  readonly precision: 'year' | 'month' | 'day' | 'minute' | 'second' | 'fraction';
}

/**
 * A value in a query. `undefined` is MISSING (an absent JSON field or CSV
 * column), `null` is NULL. Numbers: integers and floats are JS numbers;
 * DECIMAL results may be represented as numbers too.
 */
export type SelectValue =
  | undefined
  | null
  | boolean
  | number
  | bigint
  | string
  | SelectTimestamp
  | readonly SelectValue[]
  | { readonly [name: string]: SelectValue };

/** What a query reads, so that readers skip converting (CSV) or reading (Parquet) the rest. */
export interface Projection {
  /** The query needs every column (SELECT *, s.*, or a whole-record reference). */
  readonly allColumns: boolean;
  /** Top-level column names referenced (CSV header names, JSON keys, Parquet columns), as written. */
  readonly names: ReadonlySet<string>;
  /** Positional columns referenced, 0-based (_1 → 0). */
  readonly positions: ReadonlySet<number>;
  /**
   * True when the consumer reads nothing but these columns (the SQL engine's
   * projections): a CSV reader then hands '' for an unused field before the
   * last used one instead of slicing it out. Absent: every field up to the
   * last used one is kept.
   */
  readonly onlyThese?: boolean;
  /**
   * The top-level names WHERE reads (of `names`), when the query runs WHERE
   * on each record as it comes and reads nothing else of a record that fails
   * it: a reader may then hand records of just these names, each with a
   * `complete` (see RecordSink) that gives the whole record. Absent: every
   * record holds all of `names`.
   */
  readonly filterNames?: ReadonlySet<string>;
}

/**
 * A record as a reader hands it to the engine:
 * - CSV: the row's fields as strings (`CsvRow`), positional; names resolve
 *   through the header given to `bindHeader`.
 * - JSON and Parquet: a JS value (usually an object), fields by name.
 */
export type CsvRow = readonly string[];
export type InputRecord = CsvRow | SelectValue;

/** One output row: values in SELECT-list order, and their names for JSON output. */
export interface OutputRow {
  /** Output names (aliases, column names, or _1, _2… for unnamed expressions). */
  readonly names: readonly string[];
  readonly values: readonly SelectValue[];
}

/** Min/max statistics of one column in one Parquet row group. */
export interface ColumnStats {
  readonly min?: SelectValue;
  readonly max?: SelectValue;
  readonly nullCount?: number;
}

export type InputFormat = 'CSV' | 'JSON' | 'Parquet';

export interface CompileOptions {
  readonly format: InputFormat;
  /** CSV only: records are positional `CsvRow`s. */
  readonly csvHeader: 'USE' | 'IGNORE' | 'NONE';
  /**
   * A piece of a parallel scan: SUM and AVG keep their values for
   * SelectQuery.aggregateParts() instead of adding them up.
   */
  readonly recordValues?: boolean;
}

/** A query compiled once; `process` runs per record with no per-row interpretation of the AST. */
export interface CompiledQuery {
  readonly projection: Projection;
  readonly isAggregate: boolean;
  /** CSV with FileHeaderInfo USE: the header row, before the first record. */
  bindHeader(header: CsvRow): void;
  /**
   * Runs the query on one record: the output row, or undefined when the
   * record is filtered out (or folded into an aggregate). Throws SelectError
   * for a runtime error (e.g. a CAST that fails), which becomes an error event.
   * `complete`: the record holds only projection.filterNames; this gives the
   * whole record, if the query needs it (see RecordSink).
   */
  process(record: InputRecord, complete?: () => InputRecord): OutputRow | undefined;
  /** Aggregate queries: the single result row once the input ends. */
  finish(): OutputRow | undefined;
  /** True once LIMIT is satisfied: the reader should stop reading the object. */
  readonly done: boolean;
  /**
   * Parquet row-group pruning: false when statistics prove no row of the group
   * can satisfy WHERE; true when it might (or when unsure).
   */
  mayMatch(stats: ReadonlyMap<string, ColumnStats>): boolean;
  /**
   * Optional columnar path (Parquet): runs the query on a batch of rows at
   * once, handing each output row to `emit` in row order. The result is the
   * same as calling process() on each row's record in turn (the record being
   * { [column.name]: value, … } in column order): the same rows, values,
   * aggregate results and errors, LIMIT and `done` included. Absent when the
   * query cannot take batches (e.g. a FROM path that unnests).
   */
  processColumns?(batch: ColumnBatch, emit: (row: OutputRow) => void): void;
}

/**
 * Receives the records a reader produces, one at a time. Returns false when
 * the reader should stop (LIMIT satisfied, client gone): the reader then stops
 * reading the object at once. `complete` comes with a record of only the
 * projection's filterNames: it returns the whole record of the same input,
 * and may be called during this call only (the reader moves on after it).
 */
export type RecordSink = (record: InputRecord, complete?: () => InputRecord) => boolean;

/** Byte counters behind the Stats and Progress events. */
export interface ScanCounters {
  /** Bytes read from the stored object (compressed bytes, for compressed input). */
  bytesScanned: number;
  /** Bytes of (decompressed) input the reader has processed. */
  bytesProcessed: number;
  /** Bytes of output produced so far. */
  bytesReturned: number;
}

/** Inclusive-start, exclusive-end byte range of a ScanRange (S3 semantics; end may be open). */
export interface ScanRange {
  readonly start: number;
  readonly end: number | undefined;
}

/** CSV input options, as SelectObjectContent's CSVInput names them (already validated). */
export interface CsvInputOptions {
  readonly fileHeaderInfo: 'USE' | 'IGNORE' | 'NONE';
  readonly fieldDelimiter: string;
  readonly recordDelimiter: string;
  readonly quoteCharacter: string;
  readonly quoteEscapeCharacter: string;
  /** Lines starting with this are skipped ('' = none). */
  readonly comments: string;
  readonly allowQuotedRecordDelimiter: boolean;
}

export interface JsonInputOptions {
  readonly type: 'DOCUMENT' | 'LINES';
}

export interface CsvOutputOptions {
  readonly quoteFields: 'ALWAYS' | 'ASNEEDED';
  readonly fieldDelimiter: string;
  readonly recordDelimiter: string;
  readonly quoteCharacter: string;
  readonly quoteEscapeCharacter: string;
}

export interface JsonOutputOptions {
  readonly recordDelimiter: string;
}

/** Serializes output rows into a buffer the event-stream encoder drains. */
export interface RowWriter {
  /** Appends one row. */
  write(row: OutputRow): void;
  /** Approximate size of what is buffered (characters). */
  readonly pending: number;
  /** The buffered output as UTF-8 bytes; empties the buffer. */
  take(): Buffer;
}

/** Limits from the S3 Select documentation and Strata's configuration. */
export const SELECT_LIMITS = {
  /** Longest SQL expression: 256 KB. */
  maxExpressionBytes: 256 * 1024,
  /** Longest input or output record: 1 MB. */
  maxRecordBytes: 1024 * 1024,
  /** Deepest JSON nesting accepted. */
  maxJsonDepth: 256,
} as const;

/**
 * One column of a ColumnBatch. Row i's value is `values[i]`, or for a
 * dictionary-encoded column `values[indices[i]]`: `values` is then the
 * dictionary, shared by the batches of a column chunk, and may hold entries no
 * row of the batch uses (so that a predicate is evaluated once per entry).
 * A typed array in `values` holds numbers only.
 */
export interface BatchColumn {
  /** The name a record of the row keys the value by (exact Parquet top-level name). */
  readonly name: string;
  readonly values: ArrayLike<SelectValue>;
  readonly indices: Int32Array | undefined;
}

/**
 * Consecutive rows of a columnar input, column by column: the columns the
 * query's Projection selected, in schema order. Valid only during the call it
 * is handed to (the arrays may be views of a page buffer that is reused).
 */
export interface ColumnBatch {
  readonly length: number;
  readonly columns: readonly BatchColumn[];
}

/**
 * Receives the batches a columnar reader produces (instead of a RecordSink's
 * records). Returns false when the reader should stop (LIMIT satisfied,
 * client gone).
 */
export type BatchSink = (batch: ColumnBatch) => boolean;
