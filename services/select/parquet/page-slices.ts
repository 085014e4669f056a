/**
 * Hands out the rows of one decoded page of a flat column in slices, so that
 * PLAIN values are decoded only as far as the scan goes (a LIMIT stops after
 * the first slice) and batches stay small. NULLs are put in from the
 * definition levels; dictionary pages stay as indices into the dictionary,
 * decoded slice by slice too.
 */
import type { SelectValue } from '../types.js';
import type { LeafColumn } from './layout.js';
import type { DecodedPage } from './page-decode.js';
import { decodePlain, type SliceRoom, type Values } from './plain.js';

/**
 * Consecutive row values of one column: `values[i]`, or with `indices`
 * (dictionary pages, left unexpanded) `values[indices[i]]`.
 */
export interface ColumnRun {
  readonly length: number;
  readonly values: Values;
  readonly indices: Int32Array | undefined;
}

/** A dictionary with NULL appended, so that null rows can be indices too. */
const withNullEntry = new WeakMap<Values, Values>();

function dictionaryWithNull(values: Values): Values {
  let dict = withNullEntry.get(values);
  if (!dict) withNullEntry.set(values, (dict = [...Array.from(values), null]));
  return dict;
}

function slice(values: Values, from: number, to: number): Values {
  if (Array.isArray(values)) return values.slice(from, to);
  return (values as Float64Array).subarray(from, to);
}

export class PageSlices {
  private row = 0;
  private value = 0;
  private scratch = new Int32Array(0);

  constructor(
    private readonly page: DecodedPage,
    private readonly column: LeafColumn,
    /** Where PLAIN numbers are decoded, reused by the column's slices (see SliceRoom). */
    private readonly room?: SliceRoom,
  ) {}

  get remaining(): number {
    return this.page.count - this.row;
  }

  /** The next `n` rows (n ≤ remaining). */
  take(n: number): ColumnRun {
    const { page, column } = this;
    const max = column.maxDefinition;
    const def = page.definition;
    const r0 = this.row;
    let present = n;
    if (def) {
      present = 0;
      for (let i = r0; i < r0 + n; i++) if (def[i] === max) present++;
    }
    const k0 = this.value;
    this.row += n;
    this.value += present;
    let values: Values;
    let indices: Int32Array | undefined;
    if (page.indexStream) {
      values = page.values;
      // Reused from slice to slice: a slice's rows are handed on before the next is taken.
      if (this.scratch.length < present) this.scratch = new Int32Array(Math.max(present, 1024));
      indices = this.scratch.subarray(0, present);
      page.indexStream.read(indices, present);
    } else if (page.indices) {
      values = page.values;
      indices = page.indices.subarray(k0, k0 + present);
    } else if (page.plain) {
      values = decodePlain(page.plain, column.type, present, this.room);
    } else {
      values = slice(page.values, k0, k0 + present);
    }
    if (!def) return { length: n, values, indices };
    if (indices) {
      const nullIndex = values.length;
      const rows = new Int32Array(n);
      for (let i = 0, k = 0; i < n; i++) rows[i] = def[r0 + i] === max ? indices[k++]! : nullIndex;
      return { length: n, values: dictionaryWithNull(values), indices: rows };
    }
    const out = new Array<SelectValue>(n);
    for (let i = 0, k = 0; i < n; i++) out[i] = def[r0 + i] === max ? values[k++] : null;
    return { length: n, values: out, indices: undefined };
  }
}
