/**
 * CompiledQuery.processColumns: a query over a ColumnBatch, giving what
 * process() gives over each row's record, with far less per-row work:
 *
 * 1. hoisted WHERE conjuncts select the rows that pass, column by column
 *    (columnar-filter.ts); a residual WHERE then runs on the records of the
 *    rows left;
 * 2. aggregates over plain columns fold the selected values in one loop per
 *    aggregate (AggregateSlot.addColumn) when they cannot throw; the rest
 *    fold row by row, in row order, as the row path would;
 * 3. output rows of plain columns (or SELECT *) read values straight from
 *    the batch; other SELECT lists are built from records.
 * Records are made only for the rows that need them. A batch whose names the
 * plan cannot resolve safely (columnar-bind.ts) runs record by record.
 */
import { BatchRecords, type BatchRecord } from '../batch-records.js';
import type { ColumnBatch, InputRecord, OutputRow, SelectValue } from '../types.js';
import type { SelectItem } from './ast.js';
import { Binder, type BatchBinding } from './columnar-bind.js';
import { filterColumn, passRate, type Selection } from './columnar-filter.js';
import { columnOf, planWhere, RefTable } from './columnar-plan.js';
import type { AggregateInput, CompileContext, ColumnValues, Fn } from './compiled.js';
import type { RowBuilder } from './output-row.js';
import type { Expr } from './ast.js';

/** The mutable state a query shares between process() and processColumns(). */
export interface QueryState {
  produced: number;
  done: boolean;
  readonly limit: number;
}

export interface ColumnarParts {
  readonly ctx: CompileContext;
  /** WHERE, unless it is constant (then whereFn is undefined too). */
  readonly where: Expr | undefined;
  readonly whereFn: Fn | undefined;
  /** The SELECT list (undefined: SELECT *) and the names process() gives its items. */
  readonly items: readonly SelectItem[] | undefined;
  readonly itemNames: readonly string[];
  readonly build: RowBuilder;
  readonly aggregates: readonly AggregateInput[];
  readonly isAggregate: boolean;
  readonly state: QueryState;
  /** process(): the row path, for batches the plan cannot take. */
  readonly processRecord: (record: InputRecord) => OutputRow | undefined;
}

type Getter = (row: number) => SelectValue;
const MISSING: Getter = () => undefined;

function getter(batch: ColumnBatch, column: number): Getter {
  if (column < 0) return MISSING;
  const { values, indices } = batch.columns[column]!;
  return indices ? (r) => values[indices[r]!] : (r) => values[r];
}

export function makeProcessColumns(
  parts: ColumnarParts,
): (batch: ColumnBatch, emit: (row: OutputRow) => void) => void {
  const { ctx, whereFn, build, state, isAggregate, processRecord } = parts;
  const refs = new RefTable();
  const where = planWhere(parts.where, ctx, refs);
  const residual = where.residual && whereFn !== undefined;
  // Output of plain columns: the reference of each item (undefined: not all items are plain columns).
  const itemRefs = parts.items?.map((i) => (i.k === 'expr' ? columnOf(i.e, ctx) : undefined));
  const itemColumns =
    itemRefs !== undefined && itemRefs.every((r) => r !== undefined)
      ? itemRefs.map((r) => refs.indexOf(r!))
      : undefined;
  // Aggregate arguments: -2 COUNT(*), -1 computed, else a reference.
  const argRefs = parts.aggregates.map((a) => {
    if (a.arg === '*') return -2;
    const col = columnOf(a.arg, ctx);
    return col === undefined ? -1 : refs.indexOf(col);
  });
  const countOnly = isAggregate && !residual && argRefs.every((r) => r === -2);
  const binder = new Binder(refs.refs);
  const records = new BatchRecords();
  let scratch = new Int32Array(0);

  function recordPath(batch: ColumnBatch, emit: (row: OutputRow) => void): void {
    const rec = records.of(batch);
    for (let r = 0; r < batch.length; r++) {
      if (state.done) return;
      const out = processRecord(rec(r));
      if (out !== undefined) emit(out);
    }
  }

  /** Narrows `s` to the rows every hoisted conjunct keeps, the most selective first. */
  function filter(batch: ColumnBatch, b: BatchBinding, s: Selection): void {
    const steps = where.hoisted.map((p) => {
      const c = p.ref >= 0 ? b.columns[p.ref]! : -1;
      const col = c >= 0 ? batch.columns[c] : undefined;
      const values = col?.values;
      const indices = col?.indices;
      return { p, values, indices, rate: passRate(p, values, indices, residual) };
    });
    steps.sort((x, y) => x.rate - y.rate);
    s.all = false;
    // COUNT(*) over one conjunct needs only how many rows pass, not which.
    const only = countOnly && steps.length === 1;
    s.count = batch.length;
    steps.forEach((x, i) => {
      if (s.count === 0) return;
      const kind = i > 0 ? 'narrow' : only ? 'count' : 'select';
      s.count = filterColumn(kind, x.p, x.values, x.indices, s.sel, s.count, residual);
    });
  }

  function outputRows(
    batch: ColumnBatch,
    b: BatchBinding,
    s: Selection,
    rec: BatchRecord,
    emit: (row: OutputRow) => void,
  ): void {
    let names: readonly string[] = parts.itemNames;
    let getters: Getter[] | undefined;
    if (itemColumns !== undefined) getters = itemColumns.map((i) => getter(batch, b.columns[i]!));
    else if (parts.items === undefined) {
      names = b.keys;
      getters = Array.from(b.keyColumns, (c) => getter(batch, c));
    }
    const k = getters?.length ?? 0;
    for (let j = 0; j < s.count; j++) {
      const r = s.all ? j : s.sel[j]!;
      let record: Record<string, SelectValue> | undefined;
      if (residual) {
        record = rec(r);
        if (whereFn!(record) !== true) continue;
      }
      let out: OutputRow;
      if (getters !== undefined) {
        const values = new Array<SelectValue>(k);
        for (let i = 0; i < k; i++) values[i] = getters[i]!(r);
        out = { names, values };
      } else {
        out = build(record ?? rec(r));
      }
      if (++state.produced >= state.limit) state.done = true;
      emit(out);
      if (state.done) return;
    }
  }

  function aggregate(batch: ColumnBatch, b: BatchBinding, s: Selection, rec: BatchRecord): void {
    const inputs = parts.aggregates;
    // Per input: its column's values, whether it can fold column-wise (it cannot throw), its getter.
    const bulk: boolean[] = [];
    const rowwise: number[] = [];
    inputs.forEach((input, i) => {
      const ref = argRefs[i]!;
      let safe = ref === -2;
      if (ref >= 0) {
        const c = b.columns[ref]!;
        // An absent column is MISSING everywhere, which every aggregate skips.
        safe = c < 0 || input.slots.every((slot) => slot.neverThrowsOn(batch.columns[c]!.values));
      }
      bulk.push(safe);
      if (!safe) rowwise.push(i);
    });
    if (residual || rowwise.length > 0) {
      const getters = inputs.map((_, i) =>
        argRefs[i]! >= 0 ? getter(batch, b.columns[argRefs[i]!]!) : undefined,
      );
      let m = 0;
      for (let j = 0; j < s.count; j++) {
        const r = s.all ? j : s.sel[j]!;
        let record: Record<string, SelectValue> | undefined;
        if (residual) {
          record = rec(r);
          if (whereFn!(record) !== true) continue;
        }
        for (const i of rowwise) {
          const input = inputs[i]!;
          const get = getters[i];
          const v = get !== undefined ? get(r) : input.fn((record ??= rec(r)));
          for (const slot of input.slots) slot.add(v);
        }
        s.sel[m++] = r;
      }
      s.count = m;
      s.all = false;
    }
    inputs.forEach((input, i) => {
      const ref = argRefs[i]!;
      if (!bulk[i]) return;
      const c = ref >= 0 ? b.columns[ref]! : -1;
      if (ref >= 0 && c < 0) return;
      const col = c >= 0 ? batch.columns[c]! : undefined;
      const values: ColumnValues = {
        values: col?.values ?? [],
        indices: col?.indices,
        sel: s.all ? undefined : s.sel,
        count: s.count,
      };
      for (const slot of input.slots) slot.addColumn(values);
    });
  }

  return (batch, emit) => {
    if (state.done || batch.length === 0) return;
    const b = binder.bind(batch);
    if (b === undefined) return recordPath(batch, emit);
    if (scratch.length < batch.length) scratch = new Int32Array(batch.length);
    const s: Selection = { sel: scratch, count: batch.length, all: true };
    if (where.hoisted.length > 0) {
      filter(batch, b, s);
      if (s.count === 0) return;
    }
    const rec = records.of(batch);
    if (isAggregate) aggregate(batch, b, s, rec);
    else outputRows(batch, b, s, rec, emit);
  };
}
