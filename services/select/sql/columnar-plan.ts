/**
 * What of a query the columnar path (CompiledQuery.processColumns) can run
 * column by column, decided once at compile time:
 *
 * - WHERE: its AND-ed conjuncts. A conjunct over one top-level column (and
 *   literals) made of comparisons, BETWEEN, IN, IS, LIKE, NOT, AND and OR is
 *   compiled a second time as a function of that column's value alone, from
 *   the same compile functions as the row path, so it gives the same verdict
 *   per value; on a dictionary column it then runs once per dictionary entry.
 *   Such a conjunct is "hoisted" (run first, over the batch) only when no
 *   conjunct before it can throw: the row path stops at the first FALSE, so
 *   skipping a row early must never skip an error the row path would raise.
 *   Any other conjunct is "residual": the whole WHERE then runs, per record,
 *   on the rows the hoisted conjuncts leave.
 * - SELECT items and aggregate arguments that are plain top-level columns are
 *   read straight from the batch; anything else runs on records.
 */
import type { Expr } from './ast.js';
import { flattenLogic } from './ast-walk.js';
import { compileOverValue } from './columnar-value-expr.js';
import { refPath } from './compile-column.js';
import type { CompileContext, Fn } from './compiled.js';
import type { ComparisonOp } from './compile-predicates.js';

/** A top-level column as a query names it (resolved against a batch's names per batch). */
export interface ColumnRef {
  readonly name: string;
  readonly quoted: boolean;
}

/** `column op k` or `column BETWEEN lo AND hi` on numbers, for typed arrays. */
export type NumericTest =
  | { readonly op: ComparisonOp; readonly k: number }
  | { readonly op: 'between'; readonly lo: number; readonly hi: number };

/** A hoisted conjunct: a function of one column's value (no column: a constant). */
export interface ValuePredicate {
  /** Index into ColumnarPlan.refs, or -1 for a conjunct that reads no column. */
  readonly ref: number;
  readonly fn: Fn;
  readonly numeric: NumericTest | undefined;
  /** Per dictionary seen: what the conjunct keeps of it (columnar-filter.ts). */
  readonly tables: WeakMap<object, unknown>;
}

export interface WherePlan {
  readonly hoisted: readonly ValuePredicate[];
  /** Some conjunct is not hoisted: the whole WHERE runs on the records the hoisted ones keep. */
  readonly residual: boolean;
}

/** Collects distinct column references, so that each is resolved once per batch. */
export class RefTable {
  readonly refs: ColumnRef[] = [];

  indexOf(ref: ColumnRef): number {
    const i = this.refs.findIndex((r) => r.name === ref.name && r.quoted === ref.quoted);
    if (i >= 0) return i;
    this.refs.push(ref);
    return this.refs.length - 1;
  }
}

const COMPARISONS: ReadonlySet<string> = new Set(['=', '<>', '<', '>', '<=', '>=']);

/** The top-level column a reference names, or undefined for anything else (paths, the row). */
export function columnOf(e: Expr, ctx: CompileContext): ColumnRef | undefined {
  if (e.k !== 'ref') return undefined;
  const path = refPath(e, ctx);
  const [first] = path;
  if (path.length !== 1 || first === undefined || first.kind !== 'name') return undefined;
  return { name: first.name, quoted: first.quoted };
}

/**
 * The columns of a conjunct that cannot throw (see the file comment), or
 * undefined when it might (paths, CAST, arithmetic, functions, …).
 */
function safeColumns(e: Expr, ctx: CompileContext, out: ColumnRef[]): boolean {
  const all = (xs: readonly Expr[]) => xs.every((x) => safeColumns(x, ctx, out));
  switch (e.k) {
    case 'lit':
      return true;
    case 'neg':
      // -5 is a literal; -column could throw (on text).
      return safeColumns(e.e, ctx, []) && isConstant(e.e, ctx);
    case 'ref': {
      const col = columnOf(e, ctx);
      if (col === undefined) return false;
      out.push(col);
      return true;
    }
    case 'bin':
      if (e.op === 'AND' || e.op === 'OR') return all(flattenLogic(e, e.op));
      return COMPARISONS.has(e.op) && all([e.l, e.r]);
    case 'not':
      return safeColumns(e.e, ctx, out);
    case 'between':
      return all([e.e, e.lo, e.hi]);
    case 'in':
      return all([e.e, ...e.list]);
    case 'is':
      return safeColumns(e.e, ctx, out);
    case 'like':
      // A constant pattern is compiled (and checked) once; a pattern per row could throw.
      return (
        safeColumns(e.e, ctx, out) &&
        isConstant(e.pattern, ctx) &&
        (e.escape === undefined || isConstant(e.escape, ctx))
      );
    default:
      return false;
  }
}

function isConstant(e: Expr, ctx: CompileContext): boolean {
  const cols: ColumnRef[] = [];
  return safeColumns(e, ctx, cols) && cols.length === 0;
}

function literalNumber(e: Expr): number | undefined {
  if (e.k === 'lit') return typeof e.value === 'number' ? e.value : undefined;
  if (e.k === 'neg') {
    const v = literalNumber(e.e);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

const FLIPPED: Record<ComparisonOp, ComparisonOp> = {
  '=': '=',
  '<>': '<>',
  '<': '>',
  '>': '<',
  '<=': '>=',
  '>=': '<=',
};

/** The numeric fast path of `column op number` or `column BETWEEN number AND number`. */
function numericTest(e: Expr): NumericTest | undefined {
  if (e.k === 'bin' && COMPARISONS.has(e.op)) {
    const op = e.op as ComparisonOp;
    const r = literalNumber(e.r);
    if (e.l.k === 'ref' && r !== undefined) return { op, k: r };
    const l = literalNumber(e.l);
    if (e.r.k === 'ref' && l !== undefined) return { op: FLIPPED[op], k: l };
    return undefined;
  }
  if (e.k === 'between' && !e.not && e.e.k === 'ref') {
    const lo = literalNumber(e.lo);
    const hi = literalNumber(e.hi);
    if (lo !== undefined && hi !== undefined) return { op: 'between', lo, hi };
  }
  return undefined;
}

export function planWhere(where: Expr | undefined, ctx: CompileContext, refs: RefTable): WherePlan {
  if (where === undefined) return { hoisted: [], residual: false };
  const conjuncts = where.k === 'bin' && where.op === 'AND' ? flattenLogic(where, 'AND') : [where];
  const hoisted: ValuePredicate[] = [];
  let residual = false;
  let mayThrow = false;
  for (const c of conjuncts) {
    const cols: ColumnRef[] = [];
    const safe = safeColumns(c, ctx, cols);
    const same = cols.every((x) => x.name === cols[0]!.name && x.quoted === cols[0]!.quoted);
    // Refs of safe conjuncts are resolved per batch even when not hoisted:
    // an ambiguous name would make them throw, so such a batch takes the row path.
    if (safe) for (const col of cols) refs.indexOf(col);
    if (safe && same && !mayThrow) {
      hoisted.push({
        ref: cols.length > 0 ? refs.indexOf(cols[0]!) : -1,
        fn: compileOverValue(c, ctx),
        numeric: numericTest(c),
        tables: new WeakMap(),
      });
    } else {
      residual = true;
      if (!safe) mayThrow = true;
    }
  }
  return { hoisted, residual };
}
