/** Helpers for the SQL engine's unit tests: run a query over records in memory. */
import assert from 'node:assert/strict';
import { isS3Error } from '../../../shared/errors.js';
import type { CompileOptions, CsvRow, InputRecord, OutputRow, SelectValue } from '../types.js';
import { compileQuery } from './index.js';

export const CSV_NONE: CompileOptions = { format: 'CSV', csvHeader: 'NONE' };
export const CSV_USE: CompileOptions = { format: 'CSV', csvHeader: 'USE' };
export const JSON_OPTS: CompileOptions = { format: 'JSON', csvHeader: 'NONE' };

/** Runs a query; every output row (aggregates: the final row). */
export function runQuery(
  sql: string,
  records: readonly InputRecord[],
  opts: CompileOptions = JSON_OPTS,
  header?: CsvRow,
): OutputRow[] {
  const q = compileQuery(sql, opts);
  if (header !== undefined) q.bindHeader(header);
  const out: OutputRow[] = [];
  for (const r of records) q.processEach(r, (row) => out.push(row));
  const last = q.finish();
  if (last !== undefined) out.push(last);
  return out;
}

/** Output rows as name → value objects (MISSING values left out, as JSON output does). */
export function runRows(
  sql: string,
  records: readonly InputRecord[],
  opts: CompileOptions = JSON_OPTS,
  header?: CsvRow,
): Record<string, SelectValue>[] {
  return runQuery(sql, records, opts, header).map((row) => {
    const o: Record<string, SelectValue> = {};
    row.names.forEach((n, i) => {
      if (row.values[i] !== undefined) o[n] = row.values[i];
    });
    return o;
  });
}

/** The value of one expression evaluated over one JSON record (alias s). */
export function evalOne(expr: string, record: SelectValue = {}): SelectValue {
  const rows = runQuery(`SELECT ${expr} FROM S3Object s`, [record], JSON_OPTS);
  assert.equal(rows.length, 1);
  return rows[0]!.values[0];
}

/** Asserts that running `fn` throws an S3Error with this code (and these details, when given). */
export function assertS3Error(fn: () => unknown, code: string, details?: Record<string, unknown>): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught !== undefined, `expected ${code}, nothing was thrown`);
  assert.ok(isS3Error(caught), `expected an S3Error ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`);
  if (details !== undefined) {
    for (const [k, v] of Object.entries(details))
      assert.equal(caught.details[k], v, `details.${k} of ${code}`);
  }
}
