/**
 * Loops over the selected rows of a batch column (ColumnValues), for the
 * aggregates and the columnar path. Each loop comes in the four shapes of
 * (selection or not) × (dictionary or not), so that the hot loops have no
 * per-row branch on the shape.
 */
import type { SelectValue } from '../types.js';
import type { ColumnValues } from './compiled.js';

/** A typed array of numbers (not bigints): every element is a number. */
export function isNumberArray(values: ArrayLike<SelectValue>): values is ArrayLike<number> {
  return (
    ArrayBuffer.isView(values) &&
    !(values instanceof DataView) &&
    !(values instanceof BigInt64Array) &&
    !(values instanceof BigUint64Array)
  );
}

/** Calls `f` with each selected value, in row order. */
export function eachValue(c: ColumnValues, f: (v: SelectValue) => void): void {
  const { values, indices, sel, count } = c;
  if (sel === undefined) {
    if (indices === undefined) for (let i = 0; i < count; i++) f(values[i]);
    else for (let i = 0; i < count; i++) f(values[indices[i]!]);
  } else if (indices === undefined) {
    for (let j = 0; j < count; j++) f(values[sel[j]!]);
  } else {
    for (let j = 0; j < count; j++) f(values[indices[sel[j]!]!]);
  }
}

/** `start` plus each selected number, added left to right (the same double as adding them one by one). */
export function sumNumbers(c: ColumnValues & { values: ArrayLike<number> }, start: number): number {
  const { values, indices, sel, count } = c;
  let s = start;
  if (sel === undefined) {
    if (indices === undefined) for (let i = 0; i < count; i++) s += values[i]!;
    else for (let i = 0; i < count; i++) s += values[indices[i]!]!;
  } else if (indices === undefined) {
    for (let j = 0; j < count; j++) s += values[sel[j]!]!;
  } else {
    for (let j = 0; j < count; j++) s += values[indices[sel[j]!]!]!;
  }
  return s;
}

/** How many selected values are neither NULL nor MISSING. */
export function countPresent(c: ColumnValues): number {
  if (isNumberArray(c.values)) return c.count;
  let n = 0;
  eachValue(c, (v) => {
    if (v !== null && v !== undefined) n++;
  });
  return n;
}
