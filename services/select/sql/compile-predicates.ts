/**
 * Comparisons and logic with SQL's three-valued logic: a comparison with NULL
 * is NULL, with MISSING is MISSING; NOT, AND and OR treat both as unknown
 * (FALSE AND unknown is FALSE, TRUE OR unknown is TRUE). WHERE keeps a row only
 * when the condition is TRUE. Comparisons against a constant are specialised
 * (a CSV field against a number or a string costs one typeof and a compare).
 */
import type { SelectValue } from '../types.js';
import type { BinaryOp } from './ast.js';
import type { Compiled, Fn } from './compiled.js';
import { dynamic, fold } from './compiled.js';
import { compareValues, textToNumber, valuesEqual } from './values.js';

export type ComparisonOp = '=' | '<>' | '<' | '>' | '<=' | '>=';

/** The result of a comparison from an ordering (undefined: not comparable). */
function verdict(op: ComparisonOp, c: number | undefined): boolean | null {
  if (c === undefined || Number.isNaN(c)) return op === '=' ? false : op === '<>' ? true : null;
  switch (op) {
    case '=':
      return c === 0;
    case '<>':
      return c !== 0;
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    default:
      return c >= 0;
  }
}

/** Compares two values with full semantics (NULL, MISSING, types). */
export function compareWith(
  op: ComparisonOp,
  a: SelectValue,
  b: SelectValue,
  textNumbers: boolean,
): SelectValue {
  if (a === undefined || b === undefined) return undefined;
  if (a === null || b === null) return null;
  if (op === '=' || op === '<>') {
    const eq = typeof a === 'object' || typeof b === 'object' ? valuesEqual(a, b, textNumbers) : undefined;
    if (eq !== undefined) return op === '=' ? eq : !eq;
  }
  return verdict(op, compareValues(a, b, textNumbers));
}

function numberTest(op: ComparisonOp, k: number): (x: number) => boolean {
  switch (op) {
    case '=':
      return (x) => x === k;
    case '<>':
      return (x) => x !== k;
    case '<':
      return (x) => x < k;
    case '>':
      return (x) => x > k;
    case '<=':
      return (x) => x <= k;
    default:
      return (x) => x >= k;
  }
}

const FLIPPED: Record<ComparisonOp, ComparisonOp> = {
  '=': '=',
  '<>': '<>',
  '<': '>',
  '>': '<',
  '<=': '>=',
  '>=': '<=',
};

export function compileComparison(op: ComparisonOp, l: Compiled, r: Compiled): Compiled {
  // Put a constant on the right.
  if (l.constant && !r.constant) return compileComparison(FLIPPED[op], r, l);
  const textNumbers = l.type === 'text' || r.type === 'text';
  const lf = l.fn;
  if (r.constant && !l.constant) {
    const k = r.fn(undefined);
    if (typeof k === 'number') {
      const test = numberTest(op, k);
      if (l.type === 'text') {
        return dynamic((row) => {
          const v = lf(row);
          if (typeof v === 'string') {
            const n = textToNumber(v);
            return n === undefined ? verdict(op, undefined) : test(n);
          }
          return compareWith(op, v, k, true);
        }, 'bool');
      }
      return dynamic((row) => {
        const v = lf(row);
        return typeof v === 'number' ? test(v) : compareWith(op, v, k, textNumbers);
      }, 'bool');
    }
    if (typeof k === 'string' && (op === '=' || op === '<>')) {
      const eq = op === '=';
      return dynamic((row) => {
        const v = lf(row);
        return typeof v === 'string' ? (v === k) === eq : compareWith(op, v, k, textNumbers);
      }, 'bool');
    }
    return dynamic((row) => compareWith(op, lf(row), k, textNumbers), 'bool');
  }
  const rf = r.fn;
  return fold(
    dynamic((row) => compareWith(op, lf(row), rf(row), textNumbers), 'bool'),
    [l, r],
  );
}

/** AND / OR over any number of operands (a chain is compiled flat, not as a deep tree). */
export function compileLogic(op: Extract<BinaryOp, 'AND' | 'OR'>, operands: readonly Compiled[]): Compiled {
  const fns = operands.map((o) => o.fn);
  const n = fns.length;
  // AND: FALSE wins, then unknown; OR: TRUE wins, then unknown.
  const decisive = op === 'OR';
  let fn: Fn;
  if (n === 2) {
    const [lf, rf] = fns as [Fn, Fn];
    fn = (row) => {
      const a = lf(row);
      if (a === decisive) return decisive;
      const b = rf(row);
      if (b === decisive) return decisive;
      return a === !decisive && b === !decisive ? !decisive : null;
    };
  } else {
    fn = (row) => {
      let unknown = false;
      for (let i = 0; i < n; i++) {
        const v = fns[i]!(row);
        if (v === decisive) return decisive;
        if (v !== !decisive) unknown = true;
      }
      return unknown ? null : !decisive;
    };
  }
  return fold(dynamic(fn, 'bool'), operands);
}

export function compileNot(e: Compiled): Compiled {
  const f = e.fn;
  return fold(
    dynamic((row) => {
      const v = f(row);
      return v === true ? false : v === false ? true : null;
    }, 'bool'),
    [e],
  );
}

export function compileIs(e: Compiled, what: 'NULL' | 'MISSING' | 'TRUE' | 'FALSE', not: boolean): Compiled {
  const f = e.fn;
  const test: (v: SelectValue) => boolean =
    what === 'NULL'
      ? (v) => v === null || v === undefined // MISSING IS NULL is true, as in PartiQL
      : what === 'MISSING'
        ? (v) => v === undefined
        : what === 'TRUE'
          ? (v) => v === true
          : (v) => v === false;
  return fold(dynamic(not ? (row) => !test(f(row)) : (row) => test(f(row)), 'bool'), [e]);
}

/** x BETWEEN lo AND hi is lo <= x AND x <= hi. */
export function compileBetween(e: Compiled, lo: Compiled, hi: Compiled, not: boolean): Compiled {
  const both = compileLogic('AND', [compileComparison('>=', e, lo), compileComparison('<=', e, hi)]);
  return not ? compileNot(both) : both;
}

/** x IN (a, b, …): constant lists of strings or numbers become a Set lookup. */
export function compileIn(e: Compiled, list: readonly Compiled[], not: boolean): Compiled {
  const f = e.fn;
  const textNumbers = e.type === 'text' || list.some((c) => c.type === 'text');
  let fn: Fn;
  const values = list.every((c) => c.constant) ? list.map((c) => c.fn(undefined)) : undefined;
  const hasNull = values?.some((v) => v === null || v === undefined) ?? false;
  if (values !== undefined && values.every((v) => typeof v === 'string')) {
    const set = new Set(values as string[]);
    fn = (row) => {
      const v = f(row);
      if (typeof v === 'string') return set.has(v) || (hasNull ? null : false);
      return slowIn(v, values, textNumbers);
    };
  } else if (values !== undefined && values.every((v) => typeof v === 'number')) {
    const set = new Set(values as number[]);
    fn = (row) => {
      const v = f(row);
      if (typeof v === 'number') return set.has(v);
      if (typeof v === 'string' && textNumbers) {
        const n = textToNumber(v);
        return n !== undefined && set.has(n);
      }
      return slowIn(v, values, textNumbers);
    };
  } else {
    const fns = list.map((c) => c.fn);
    fn = (row) =>
      slowIn(
        f(row),
        fns.map((g) => g(row)),
        textNumbers,
      );
  }
  const node = dynamic(fn, 'bool');
  return fold(not ? compileNot(node) : node, [e, ...list]);
}

function slowIn(v: SelectValue, values: readonly SelectValue[], textNumbers: boolean): SelectValue {
  if (v === undefined) return undefined;
  if (v === null) return null;
  let unknown = false;
  for (const x of values) {
    const r = compareWith('=', v, x, textNumbers);
    if (r === true) return true;
    if (r !== false) unknown = true;
  }
  return unknown ? null : false;
}
