/**
 * Builds OutputRows. Names: an alias, else the last name of a column
 * reference (s.a.b → b, s._3 → _3), else _N for the Nth item of the SELECT
 * list. SELECT * and alias.* give the record's own columns: CSV header names
 * (FileHeaderInfo USE) or _1, _2, …; JSON keys.
 */
import type { CsvRow, InputFormat, OutputRow, SelectValue } from '../types.js';
import type { Fn, Row } from './compiled.js';
import { isTimestamp } from './values.js';

export type RowBuilder = (row: Row) => OutputRow;

/** Column names of a CSV row of a given length, cached by length. */
export class CsvNames {
  private header: readonly string[] | undefined;
  private readonly byLength = new Map<number, readonly string[]>();

  setHeader(header: CsvRow): void {
    this.header = header.slice();
    this.byLength.clear();
  }

  forLength(n: number): readonly string[] {
    let names = this.byLength.get(n);
    if (names === undefined) {
      names = Array.from({ length: n }, (_, i) => this.header?.[i] ?? `_${i + 1}`);
      if (this.byLength.size < 64) this.byLength.set(n, names);
    }
    return names;
  }
}

/** The columns of one record for SELECT * (names and values). */
function recordColumns(
  format: InputFormat,
  csvNames: CsvNames,
  row: Row,
): { names: readonly string[]; values: readonly SelectValue[] } {
  if (format === 'CSV' && Array.isArray(row))
    return { names: csvNames.forLength(row.length), values: row as CsvRow };
  if (typeof row === 'object' && row !== null && !Array.isArray(row) && !isTimestamp(row)) {
    const names = Object.keys(row);
    return { names, values: names.map((k) => (row as Record<string, SelectValue>)[k]) };
  }
  return { names: ['_1'], values: [row as SelectValue] };
}

/** One SELECT-list entry: a named expression, or alias.* */
export type OutputItem = { readonly name: string; readonly fn: Fn } | { readonly star: true };

export function makeRowBuilder(
  items: readonly OutputItem[] | undefined,
  format: InputFormat,
  csvNames: CsvNames,
): RowBuilder {
  if (items === undefined) {
    return (row) => recordColumns(format, csvNames, row);
  }
  if (items.every((i): i is { name: string; fn: Fn } => 'fn' in i)) {
    const names = items.map((i) => i.name);
    const fns = items.map((i) => i.fn);
    if (fns.length === 1) {
      const [a] = fns as [Fn];
      return (row) => ({ names, values: [a(row)] });
    }
    if (fns.length === 2) {
      const [a, b] = fns as [Fn, Fn];
      return (row) => ({ names, values: [a(row), b(row)] });
    }
    const n = fns.length;
    return (row) => {
      const values = new Array<SelectValue>(n);
      for (let i = 0; i < n; i++) values[i] = fns[i]!(row);
      return { names, values };
    };
  }
  return (row) => {
    const names: string[] = [];
    const values: SelectValue[] = [];
    for (const item of items) {
      if ('fn' in item) {
        names.push(item.name);
        values.push(item.fn(row));
      } else {
        const cols = recordColumns(format, csvNames, row);
        names.push(...cols.names);
        values.push(...cols.values);
      }
    }
    return { names, values };
  };
}
