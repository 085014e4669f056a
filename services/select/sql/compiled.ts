/**
 * What the compiler turns expressions into: a closure per node, called with the
 * current row (a CsvRow for CSV, the record or FROM-path value for JSON and
 * Parquet), plus what is known statically (type, constant-ness).
 */
import type { CsvRow, InputFormat, SelectTimestamp, SelectValue } from '../types.js';
import type { Expr } from './ast.js';
import type { StaticType } from './values.js';

// The row is a CsvRow or any JSON value; closures index into it directly.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = any;
export type Fn = (row: Row) => SelectValue;

export interface Compiled {
  readonly fn: Fn;
  readonly type: StaticType;
  /** True when the value does not depend on the row (folded at compile time). */
  readonly constant: boolean;
}

/** One aggregate in the SELECT list: folds its argument's values, then yields its result. */
export interface AggregateSlot {
  add(value: SelectValue): void;
  result(): SelectValue;
  /**
   * Adds the values of a batch column (see ColumnValues), in row order: the
   * same as add() on each of them.
   */
  addColumn(column: ColumnValues): void;
  /** True when add() cannot throw for any value of `values` (e.g. SUM of a typed array of numbers). */
  neverThrowsOn(values: ArrayLike<SelectValue>): boolean;
  /** What this slot folded, for a parallel scan to merge (see aggregates.ts). */
  part(): AggregatePart;
  /** Folds in a later piece's part: the same as add() of that piece's values, in order. */
  merge(part: AggregatePart): void;
}

/** One aggregate's state after a piece of a parallel scan; structured-cloneable. */
export type AggregatePart =
  | { readonly kind: 'count'; readonly n: number }
  /** SUM / AVG: the piece's values, checked and converted, in row order. */
  | { readonly kind: 'values'; readonly values: Float64Array | readonly SelectValue[] }
  /** MIN / MAX: the piece's best value (undefined: none). */
  | { readonly kind: 'best'; readonly value: SelectValue };

/**
 * Selected rows of a batch column: row `sel[j]` (row j when `sel` is
 * undefined) for j < count, whose value is `values[row]`, or
 * `values[indices[row]]` for a dictionary-encoded column.
 */
export interface ColumnValues {
  readonly values: ArrayLike<SelectValue>;
  readonly indices: Int32Array | undefined;
  readonly sel: Int32Array | undefined;
  readonly count: number;
}

/**
 * The aggregates of a query, grouped by argument: SUM(x) and AVG(x) evaluate
 * x once per row. `key` identifies the argument's expression.
 */
export interface AggregateInput {
  readonly key: string;
  /** The argument ('*' for COUNT(*)), for the columnar path. */
  readonly arg: Expr | '*';
  readonly fn: Fn;
  readonly slots: AggregateSlot[];
}

export interface ProjectionBuilder {
  allColumns: boolean;
  readonly names: Set<string>;
  readonly positions: Set<number>;
  readonly onlyThese: true;
  filterNames?: Set<string>;
}

export interface CompileContext {
  readonly format: InputFormat;
  readonly csvHeader: 'USE' | 'IGNORE' | 'NONE';
  /** The table alias (FROM S3Object s), or the last name of the FROM path when there is no alias. */
  readonly alias: { readonly name: string; readonly quoted: boolean } | undefined;
  /** Run once the CSV header is known (FileHeaderInfo USE). */
  readonly binders: ((header: CsvRow) => void)[];
  readonly projection: ProjectionBuilder;
  /** Aggregates of the SELECT list by argument; undefined where aggregates are not allowed (WHERE). */
  aggregates: AggregateInput[] | undefined;
  /** While WHERE compiles: also gets what its references read (for Projection.filterNames). */
  reads: ProjectionBuilder | undefined;
  /** Inside an aggregate's argument (aggregates cannot nest). */
  inAggregate: boolean;
  /** Column references outside aggregates, to reject mixing them with aggregates. */
  readonly bareColumns: { line: number; column: number; text: string }[];
  /** UTCNOW() is one instant for the whole query. */
  readonly now: SelectTimestamp;
  /** SUM / AVG keep their values (a piece of a parallel scan; see aggregates.ts). */
  readonly recordValues: boolean;
}

export function constant(value: SelectValue, type: StaticType = 'any'): Compiled {
  return { fn: () => value, type, constant: true };
}

export function dynamic(fn: Fn, type: StaticType = 'any'): Compiled {
  return { fn, type, constant: false };
}

/**
 * Folds a node whose inputs are all constant into a constant. A node that
 * throws (CAST('x' AS INT)) is left to fail at run time, only if it runs.
 */
export function fold(node: Compiled, inputs: readonly Compiled[]): Compiled {
  if (node.constant || !inputs.every((c) => c.constant)) return node;
  try {
    return constant(node.fn(undefined), node.type);
  } catch {
    return node;
  }
}
