/**
 * Runs hoisted WHERE conjuncts (columnar-plan.ts) over batch columns, to the
 * rows that pass all of them:
 * - a dictionary column: the conjunct runs once per dictionary entry (kept
 *   per dictionary), then each row is a table or bit-mask lookup
 *   (dictionary-loops.ts);
 * - `column op number` on a typed array: a plain comparison loop (for
 *   numbers, exactly what the compiled comparison does);
 * - any other column: the compiled conjunct per value.
 * A row stays when the conjunct is TRUE, or, when a residual WHERE will
 * decide (keepUnknown), when it is not FALSE.
 */
import type { SelectValue } from '../types.js';
import type { NumericTest, ValuePredicate } from './columnar-plan.js';
import { isNumberArray } from './column-values.js';
import { branches, maskLoop, maskOf, tableLoop, type LoopKind } from './dictionary-loops.js';

/** Rows of a batch for the steps after the filter: `sel[0..count)`, or all rows 0..count when `all`. */
export interface Selection {
  readonly sel: Int32Array;
  count: number;
  all: boolean;
}

/**
 * Each conjunct narrows a selection of rows with no branch per row
 * (`sel[m] = r; m += +(v > a)`), several times faster than a branch when
 * rows pass at random (dictionary conjuncts that keep nearly no entry or
 * nearly all of them do branch, see dictionary-loops.ts); the first one
 * selects from all rows. Conjuncts on
 * dictionary columns that keep few entries go first (see passRate), so that
 * the later ones see few rows. COUNT(*) over one conjunct only counts.
 */
type Loop = (values: ArrayLike<number>, sel: Int32Array, count: number, a: number, b: number) => number;

const CONDITIONS: Record<NumericTest['op'], string> = {
  '=': '+(v === a)',
  '<>': '+(v !== a)',
  '<': '+(v < a)',
  '>': '+(v > a)',
  '<=': '+(v <= a)',
  '>=': '+(v >= a)',
  between: '+(v >= a) & +(v <= b)',
};

/** Loops per operator and kind, generated from the fixed conditions above, so that each stays monomorphic. */
const loops = new Map<string, Loop>();

function numericLoop(op: NumericTest['op'], kind: LoopKind): Loop {
  const key = `${op}/${kind}`;
  let f = loops.get(key);
  if (!f) {
    const cond = CONDITIONS[op];
    const body =
      kind === 'select'
        ? `for (let i = 0; i < count; i++) { const v = values[i]; sel[m] = i; m += ${cond}; }`
        : kind === 'narrow'
          ? `for (let j = 0; j < count; j++) { const r = sel[j]; const v = values[r]; sel[m] = r; m += ${cond}; }`
          : `for (let i = 0; i < count; i++) { const v = values[i]; m += ${cond}; }`;
    f = new Function('values', 'sel', 'count', 'a', 'b', `let m = 0; ${body} return m;`) as Loop;
    loops.set(key, f);
  }
  return f;
}

function keeps(verdict: SelectValue, keepUnknown: boolean): boolean {
  return keepUnknown ? verdict !== false : verdict === true;
}

/** Keep-or-not per dictionary entry, and the share of entries kept. */
interface Table {
  readonly keep: Uint8Array;
  /** `keep` as a bit mask, for dictionaries of up to 32 entries. */
  readonly mask: number | undefined;
  readonly rate: number;
}

/** The table of a dictionary, computed once per dictionary. */
function table(p: ValuePredicate, dictionary: ArrayLike<SelectValue>, keepUnknown: boolean): Table {
  let t = p.tables.get(dictionary as object) as Table | undefined;
  if (!t) {
    const keep = new Uint8Array(dictionary.length);
    let kept = 0;
    for (let k = 0; k < dictionary.length; k++) {
      keep[k] = keeps(p.fn(dictionary[k]), keepUnknown) ? 1 : 0;
      kept += keep[k]!;
    }
    t = { keep, mask: maskOf(keep), rate: dictionary.length === 0 ? 0 : kept / dictionary.length };
    p.tables.set(dictionary as object, t);
  }
  return t;
}

/**
 * A guess of the share of rows `p` keeps, to order conjuncts: the share of
 * dictionary entries kept (rows spread over entries), else 1 (unknown).
 */
export function passRate(
  p: ValuePredicate,
  values: ArrayLike<SelectValue> | undefined,
  indices: Int32Array | undefined,
  keepUnknown: boolean,
): number {
  return values !== undefined && indices !== undefined ? table(p, values, keepUnknown).rate : 1;
}

/**
 * Runs `p` over a column's rows: 'select' keeps, in sel, the rows 0..count
 * that pass; 'narrow' keeps those of sel[0..count) that pass; 'count' only
 * counts the rows 0..count that pass. Returns how many pass. `values` and
 * `indices` are the column's; undefined values: the column is absent, every
 * row MISSING.
 */
export function filterColumn(
  kind: LoopKind,
  p: ValuePredicate,
  values: ArrayLike<SelectValue> | undefined,
  indices: Int32Array | undefined,
  sel: Int32Array,
  count: number,
  keepUnknown: boolean,
): number {
  if (values === undefined) {
    if (!keeps(p.fn(undefined), keepUnknown)) return 0;
    if (kind === 'select') for (let i = 0; i < count; i++) sel[i] = i;
    return count;
  }
  if (p.numeric !== undefined && indices === undefined && isNumberArray(values)) {
    const t = p.numeric;
    const loop = numericLoop(t.op, kind);
    return t.op === 'between' ? loop(values, sel, count, t.lo, t.hi) : loop(values, sel, count, t.k, 0);
  }
  if (indices !== undefined) {
    const t = table(p, values, keepUnknown);
    const branch = branches(t.rate);
    return t.mask !== undefined
      ? maskLoop(kind, branch)(t.mask, indices, sel, count)
      : tableLoop(kind, branch)(t.keep, indices, sel, count);
  }
  let m = 0;
  // A call per value costs more than a branch.
  const fn = p.fn;
  for (let j = 0; j < count; j++) {
    const r = kind === 'narrow' ? sel[j]! : j;
    if (keeps(fn(values[r]), keepUnknown)) {
      if (kind !== 'count') sel[m] = r;
      m++;
    }
  }
  return m;
}
