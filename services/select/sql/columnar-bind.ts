/**
 * Resolves a query's column references against a batch's column names, the
 * way the row path resolves them against a record's keys (compile-column.ts
 * getField): an exact key first, then, for an unquoted name, the one key
 * equal to it ignoring case. When the row path could throw (two keys match)
 * or behave specially (a record with the keys of a SelectTimestamp may read
 * as one: SELECT * and case-insensitive names then differ), the batch is left
 * to the row path. The result is kept while batches have the same names.
 */
import type { ColumnBatch } from '../types.js';
import type { ColumnRef } from './columnar-plan.js';

export interface BatchBinding {
  /** The batch column of each reference (ColumnarPlan refs), or -1 when absent (MISSING). */
  readonly columns: Int32Array;
  /** A record's keys in order (SELECT *), and the batch column of each. */
  readonly keys: readonly string[];
  readonly keyColumns: Int32Array;
}

/** Keys as an object literal of the names gets them: first place of a name, last value; integer keys first. */
function recordKeys(names: readonly string[]): { keys: string[]; columnOf: Map<string, number> } {
  const probe: Record<string, number> = {};
  names.forEach((n, j) =>
    Object.defineProperty(probe, n, { value: j, enumerable: true, writable: true, configurable: true }),
  );
  const keys = Object.keys(probe);
  return { keys, columnOf: new Map(keys.map((k) => [k, Object.getOwnPropertyDescriptor(probe, k)!.value])) };
}

/** A record with all of these keys may read as a SelectTimestamp (values.ts isTimestamp). */
const TIMESTAMP_KEYS = ['kind', 'epochMs', 'nanos', 'offsetMinutes', 'precision'];

function resolve(ref: ColumnRef, keys: readonly string[], columnOf: Map<string, number>): number | undefined {
  const exact = columnOf.get(ref.name);
  if (exact !== undefined) return exact;
  if (ref.quoted) return -1;
  const lower = ref.name.toLowerCase();
  const matches = keys.filter((k) => k.toLowerCase() === lower);
  if (matches.length === 0) return -1;
  if (matches.length > 1) return undefined;
  return columnOf.get(matches[0]!)!;
}

export class Binder {
  private names: readonly string[] | undefined;
  private binding: BatchBinding | undefined;

  constructor(private readonly refs: readonly ColumnRef[]) {}

  /** The binding for `batch`, or undefined when the batch must take the row path. */
  bind(batch: ColumnBatch): BatchBinding | undefined {
    if (!this.sameNames(batch)) {
      const names = batch.columns.map((c) => c.name);
      this.names = names;
      this.binding = this.make(names);
    }
    return this.binding;
  }

  private make(names: readonly string[]): BatchBinding | undefined {
    const { keys, columnOf } = recordKeys(names);
    if (TIMESTAMP_KEYS.every((k) => columnOf.has(k))) return undefined;
    const columns = new Int32Array(this.refs.length);
    for (let i = 0; i < this.refs.length; i++) {
      const c = resolve(this.refs[i]!, keys, columnOf);
      if (c === undefined) return undefined;
      columns[i] = c;
    }
    return { columns, keys, keyColumns: Int32Array.from(keys, (k) => columnOf.get(k)!) };
  }

  private sameNames(batch: ColumnBatch): boolean {
    const names = this.names;
    const cols = batch.columns;
    if (names === undefined || cols.length !== names.length) return false;
    for (let j = 0; j < cols.length; j++) if (cols[j]!.name !== names[j]) return false;
    return true;
  }
}
