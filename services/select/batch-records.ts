/**
 * The records of a ColumnBatch's rows, { [column.name]: value, … } in column
 * order: what a columnar reader hands a RecordSink, and what the engine
 * builds for the rows a batch query needs whole. Both sides use this one
 * builder, so a record is the same object whichever path made it.
 *
 * Builders are generated per (column names, which columns are dictionaries):
 * each makes a record as a single object literal, so every record shares one
 * hidden class and is built without keyed stores or per-field branches.
 * Names enter the source only through JSON.stringify, which always yields a
 * valid JS string literal.
 */
import type { ColumnBatch, SelectValue } from './types.js';

export type BatchRecord = (row: number) => Record<string, SelectValue>;

type Factory = (
  v: readonly ArrayLike<SelectValue>[],
  x: readonly (Int32Array | undefined)[],
  i: number,
) => Record<string, SelectValue>;

/** Builders kept per name list; more shapes than this and the cache starts again. */
const MAX_SHAPES = 64;

export class BatchRecords {
  private names: readonly string[] = [];
  private readonly factories = new Map<string, Factory>();

  /** The record builder for rows of `batch`. */
  of(batch: ColumnBatch): BatchRecord {
    const cols = batch.columns;
    if (!this.sameNames(batch)) {
      this.names = cols.map((c) => c.name);
      this.factories.clear();
    }
    let shape = '';
    for (const c of cols) shape += c.indices ? 'd' : 'p';
    let f = this.factories.get(shape);
    if (!f) {
      if (this.factories.size >= MAX_SHAPES) this.factories.clear();
      f = factory(this.names, shape);
      this.factories.set(shape, f);
    }
    const v = cols.map((c) => c.values);
    const x = cols.map((c) => c.indices);
    const make = f;
    return (row) => make(v, x, row);
  }

  private sameNames(batch: ColumnBatch): boolean {
    const cols = batch.columns;
    if (cols.length !== this.names.length) return false;
    for (let j = 0; j < cols.length; j++) if (cols[j]!.name !== this.names[j]) return false;
    return true;
  }
}

function factory(names: readonly string[], shape: string): Factory {
  // A literal "__proto__" key would set the prototype; as a computed key it is a field.
  const key = (n: string) => (n === '__proto__' ? `[${JSON.stringify(n)}]` : JSON.stringify(n));
  const fields = names.map((n, j) =>
    shape[j] === 'd' ? `${key(n)}: v[${j}][x[${j}][i]]` : `${key(n)}: v[${j}][i]`,
  );
  return new Function('v', 'x', 'i', `return { ${fields.join(', ')} };`) as Factory;
}
