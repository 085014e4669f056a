/**
 * Runs hoisted WHERE conjuncts (columnar-plan.ts) over a batch column into a
 * mask of the rows that pass:
 * - a dictionary column: the conjunct runs once per dictionary entry (kept
 *   per dictionary), then each row is a table lookup;
 * - `column op number` on a typed array: a plain comparison loop (for
 *   numbers, exactly what the compiled comparison does);
 * - any other column: the compiled conjunct per value.
 * A row stays when the conjunct is TRUE, or, when a residual WHERE will
 * decide (keepUnknown), when it is not FALSE.
 */
import type { SelectValue } from '../types.js';
import type { NumericTest, ValuePredicate } from './columnar-plan.js';
import { isNumberArray } from './column-values.js';

/** Rows of a batch for the steps after the filter: `sel[0..count)`, or all rows 0..count when `all`. */
export interface Selection {
  readonly sel: Int32Array;
  count: number;
  all: boolean;
}

/**
 * Per-row loops write a 0/1 mask with no branch (`+(v > a)`), which is
 * several times faster than a selection built with a branch per row when
 * rows pass at random; the mask becomes a selection once, at the end.
 */
type NumericLoop = (values: ArrayLike<number>, mask: Uint8Array, n: number, a: number, b: number) => void;

const CONDITIONS: Record<NumericTest['op'], string> = {
  '=': '+(v === a)',
  '<>': '+(v !== a)',
  '<': '+(v < a)',
  '>': '+(v > a)',
  '<=': '+(v <= a)',
  '>=': '+(v >= a)',
  between: '+(v >= a) & +(v <= b)',
};

/** One loop per operator (and first or later conjunct), generated from the fixed conditions above. */
const numericLoops = new Map<string, NumericLoop>();

function numericLoop(op: NumericTest['op'], first: boolean): NumericLoop {
  const key = `${op}/${first}`;
  let f = numericLoops.get(key);
  if (!f) {
    const assign = first ? '=' : '&=';
    f = new Function(
      'values',
      'mask',
      'n',
      'a',
      'b',
      `for (let i = 0; i < n; i++) { const v = values[i]; mask[i] ${assign} ${CONDITIONS[op]}; }`,
    ) as NumericLoop;
    numericLoops.set(key, f);
  }
  return f;
}

function keeps(verdict: SelectValue, keepUnknown: boolean): boolean {
  return keepUnknown ? verdict !== false : verdict === true;
}

/** Keep-or-not per dictionary entry, computed once per dictionary. */
function table(p: ValuePredicate, dictionary: ArrayLike<SelectValue>, keepUnknown: boolean): Uint8Array {
  let t = p.tables.get(dictionary as object);
  if (!t) {
    t = new Uint8Array(dictionary.length);
    for (let k = 0; k < dictionary.length; k++) t[k] = keeps(p.fn(dictionary[k]), keepUnknown) ? 1 : 0;
    p.tables.set(dictionary as object, t);
  }
  return t;
}

/**
 * Sets mask[i] (first conjunct) or clears it (later ones) for rows 0..n by
 * whether the row's value of the column passes `p`. `values` and `indices`
 * are the column's; undefined values: the column is absent, every row MISSING.
 */
export function maskColumn(
  p: ValuePredicate,
  values: ArrayLike<SelectValue> | undefined,
  indices: Int32Array | undefined,
  mask: Uint8Array,
  n: number,
  first: boolean,
  keepUnknown: boolean,
): void {
  if (values === undefined) {
    const keep = keeps(p.fn(undefined), keepUnknown);
    if (first || !keep) mask.fill(keep ? 1 : 0, 0, n);
  } else if (indices !== undefined) {
    const t = table(p, values, keepUnknown);
    if (first) for (let i = 0; i < n; i++) mask[i] = t[indices[i]!]!;
    else for (let i = 0; i < n; i++) mask[i] = mask[i]! & t[indices[i]!]!;
  } else if (p.numeric !== undefined && isNumberArray(values)) {
    const t = p.numeric;
    if (t.op === 'between') numericLoop(t.op, first)(values, mask, n, t.lo, t.hi);
    else numericLoop(t.op, first)(values, mask, n, t.k, 0);
  } else {
    // A call per value costs more than a branch: skip rows already out.
    const fn = p.fn;
    for (let i = 0; i < n; i++) {
      if (first || mask[i] === 1) mask[i] = keeps(fn(values[i]), keepUnknown) ? 1 : 0;
    }
  }
}

/** The rows whose mask is set, into `sel`; returns how many. */
export function compact(mask: Uint8Array, n: number, sel: Int32Array): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    sel[m] = i;
    m += mask[i]!;
  }
  return m;
}
