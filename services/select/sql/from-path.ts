/**
 * The FROM clause's path over JSON records: FROM S3Object[*].a.b[0] yields one
 * row per record (the value at the path, MISSING when absent); a path with
 * more wildcards (S3Object[*].books[*], .*) yields a row per element. As the
 * SQL reference says, "wildcards always emit at least one record": where no
 * element matches, the row is MISSING.
 */
import type { SelectValue } from '../types.js';
import type { PathStep } from './ast.js';
import { compilePath, stepValue } from './compile-column.js';
import type { Fn } from './compiled.js';
import { isTimestamp } from './values.js';

export interface FromPath {
  /** Wildcards after the leading S3Object[*]: a record may make several rows. */
  readonly multiRow: boolean;
  /** The row of a record (single-row paths). */
  readonly single: Fn;
  /** The rows of a record. */
  each(record: SelectValue, emit: (row: SelectValue) => void): void;
}

function expand(values: SelectValue[], step: PathStep): SelectValue[] {
  const out: SelectValue[] = [];
  for (const v of values) {
    if (step.kind !== 'wildcard') {
      out.push(stepValue(v, step));
    } else if (step.bracket) {
      if (Array.isArray(v)) out.push(...(v as SelectValue[]));
    } else if (typeof v === 'object' && v !== null && !Array.isArray(v) && !isTimestamp(v)) {
      out.push(...Object.values(v as Record<string, SelectValue>));
    }
  }
  return out;
}

/** `steps` are those after S3Object, the leading [*] included. */
export function compileFromPath(steps: readonly PathStep[]): FromPath {
  // The leading [*] ranges over the records, which the reader already hands over one by one.
  const rest = steps.length > 0 && steps[0]!.kind === 'wildcard' ? steps.slice(1) : steps;
  const multiRow = rest.some((s) => s.kind === 'wildcard');
  if (!multiRow) {
    const single = compilePath(rest);
    return { multiRow, single, each: (record, emit) => emit(single(record)) };
  }
  const each = (record: SelectValue, emit: (row: SelectValue) => void) => {
    let values: SelectValue[] = [record];
    for (const step of rest) values = expand(values, step);
    if (values.length === 0) emit(undefined);
    else for (const v of values) emit(v);
  };
  return {
    multiRow,
    single: (record) => {
      let first: SelectValue;
      let seen = false;
      each(record, (row) => {
        if (!seen) first = row;
        seen = true;
      });
      return first;
    },
    each,
  };
}
