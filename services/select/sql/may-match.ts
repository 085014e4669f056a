/**
 * Row-group pruning from min/max statistics (Parquet). A WHERE clause made of
 * AND / OR over comparisons, BETWEEN and IN between a top-level column (or
 * CAST(column AS INT|FLOAT|DECIMAL)) and literals can prove that no row of a
 * group matches; anything else answers "may match". Values of different types
 * are never used to prune.
 */
import type { ColumnStats, SelectValue } from '../types.js';
import type { Expr } from './ast.js';
import { flattenLogic } from './ast-walk.js';
import { compareValues } from './values.js';

export type StatsLookup = (stats: ReadonlyMap<string, ColumnStats>) => boolean;

type Bounds = { min: SelectValue; max: SelectValue };

interface ColumnRef {
  readonly name: string;
  readonly quoted: boolean;
  /** CAST(x AS INT) truncates: bounds truncate too (the cast is monotonic). */
  readonly truncate: boolean;
}

/** Resolves a reference to a top-level column name, given the table alias. */
export type ColumnOf = (e: Expr) => ColumnRef | undefined;

export function columnResolver(alias: { name: string; quoted: boolean } | undefined): ColumnOf {
  const isAlias = (name: string, quoted: boolean) =>
    (alias !== undefined &&
      (quoted || alias.quoted ? name === alias.name : name.toLowerCase() === alias.name.toLowerCase())) ||
    (!quoted && name.toLowerCase() === 's3object');
  const resolve = (e: Expr): ColumnRef | undefined => {
    if (e.k === 'cast' && (e.type === 'INT' || e.type === 'FLOAT' || e.type === 'DECIMAL')) {
      const inner = resolve(e.e);
      return inner === undefined || inner.truncate ? inner : { ...inner, truncate: e.type === 'INT' };
    }
    if (e.k !== 'ref') return undefined;
    const path = isAlias(e.head.name, e.head.quoted) ? e.steps : [e.head, ...e.steps];
    const [first] = path;
    if (path.length !== 1 || first === undefined || first.kind !== 'name') return undefined;
    return { name: first.name, quoted: first.quoted, truncate: false };
  };
  return resolve;
}

function findStats(stats: ReadonlyMap<string, ColumnStats>, col: ColumnRef): ColumnStats | undefined {
  const exact = stats.get(col.name);
  if (exact !== undefined || col.quoted) return exact;
  const lower = col.name.toLowerCase();
  for (const [k, v] of stats) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function bounds(s: ColumnStats, truncate: boolean): Bounds | undefined {
  if (s.min === undefined && s.max === undefined) return undefined;
  if (!truncate) return { min: s.min, max: s.max };
  const t = (v: SelectValue) => (typeof v === 'number' ? Math.trunc(v) : v);
  return { min: t(s.min), max: t(s.max) };
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Compare a bound with a literal: undefined when unknown or of another type. */
function cmp(a: SelectValue, b: SelectValue): number | undefined {
  if (a === undefined || a === null || b === undefined || b === null) return undefined;
  // Parquet orders strings by UTF-8 bytes, JS by UTF-16 units: they agree on ASCII only.
  if ((typeof a === 'string' && NON_ASCII.test(a)) || (typeof b === 'string' && NON_ASCII.test(b)))
    return undefined;
  const c = compareValues(a, b, false);
  return c === undefined || Number.isNaN(c) ? undefined : c;
}

/** False only when the bounds prove that `column op k` holds for no value. */
function comparisonMay(op: string, b: Bounds, k: SelectValue): boolean {
  const lo = cmp(b.min, k);
  const hi = cmp(b.max, k);
  switch (op) {
    case '=':
      return !((lo !== undefined && lo > 0) || (hi !== undefined && hi < 0));
    case '<>':
      return !(lo === 0 && hi === 0);
    case '<':
      return !(lo !== undefined && lo >= 0);
    case '<=':
      return !(lo !== undefined && lo > 0);
    case '>':
      return !(hi !== undefined && hi <= 0);
    case '>=':
      return !(hi !== undefined && hi < 0);
    default:
      return true;
  }
}

const FLIP: Record<string, string> = { '=': '=', '<>': '<>', '<': '>', '>': '<', '<=': '>=', '>=': '<=' };

export function compileMayMatch(where: Expr | undefined, columnOf: ColumnOf): StatsLookup {
  if (where === undefined) return () => true;
  const test = (e: Expr, stats: ReadonlyMap<string, ColumnStats>): boolean => {
    const boundsOf = (x: Expr) => {
      const col = columnOf(x);
      if (col === undefined) return undefined;
      const s = findStats(stats, col);
      return s === undefined ? undefined : bounds(s, col.truncate);
    };
    switch (e.k) {
      case 'bin': {
        if (e.op === 'AND') return flattenLogic(e, 'AND').every((x) => test(x, stats));
        if (e.op === 'OR') return flattenLogic(e, 'OR').some((x) => test(x, stats));
        if (FLIP[e.op] === undefined) return true;
        if (e.r.k === 'lit') {
          const b = boundsOf(e.l);
          return b === undefined || comparisonMay(e.op, b, e.r.value);
        }
        if (e.l.k === 'lit') {
          const b = boundsOf(e.r);
          return b === undefined || comparisonMay(FLIP[e.op]!, b, e.l.value);
        }
        return true;
      }
      case 'between': {
        if (e.not || e.lo.k !== 'lit' || e.hi.k !== 'lit') return true;
        const b = boundsOf(e.e);
        return b === undefined || (comparisonMay('>=', b, e.lo.value) && comparisonMay('<=', b, e.hi.value));
      }
      case 'in': {
        if (e.not || !e.list.every((x) => x.k === 'lit')) return true;
        const b = boundsOf(e.e);
        return (
          b === undefined ||
          e.list.some((x) => comparisonMay('=', b, (x as Extract<Expr, { k: 'lit' }>).value))
        );
      }
      default:
        return true;
    }
  };
  return (stats) => test(where, stats);
}
