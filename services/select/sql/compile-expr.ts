/**
 * Compiles an expression tree into closures, once per query: each node becomes
 * a function of the row that calls its children's functions directly, with
 * constant sub-trees folded to values.
 */
import type { Expr } from './ast.js';
import { flattenLogic, MAX_EXPRESSION_DEPTH } from './ast-walk.js';
import { makeAggregate } from './aggregates.js';
import { compileArithmetic, compileNegate } from './compile-arithmetic.js';
import { compileRef } from './compile-column.js';
import { compileCall, compileCase, compileCast, compileLikeExpr, compileTrim } from './compile-functions.js';
import {
  compileBetween,
  compileComparison,
  compileIn,
  compileIs,
  compileLogic,
  compileNot,
  type ComparisonOp,
} from './compile-predicates.js';
import type { AggregateSlot, CompileContext, Compiled, Fn } from './compiled.js';
import { constant, dynamic } from './compiled.js';
import { parseError } from './sql-error.js';
import type { StaticType } from './values.js';

export interface ExprCompiler {
  readonly ctx: CompileContext;
  /** True when the FROM clause has a path: references are relative to its values. */
  readonly fromPathSet: boolean;
  /** Nesting of the node being compiled (see MAX_EXPRESSION_DEPTH). */
  depth: number;
}

export function literalType(e: Extract<Expr, { k: 'lit' }>): StaticType {
  const v = e.value;
  if (typeof v === 'number') return /[.eE]/.test(e.token.text) ? 'float' : 'int';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return 'any';
}

export function compileExpr(e: Expr, c: ExprCompiler): Compiled {
  if (++c.depth > MAX_EXPRESSION_DEPTH)
    throw parseError('ParseUnsupportedSyntax', e.token, 'The expression is nested too deeply.');
  try {
    return compileNode(e, c);
  } finally {
    c.depth--;
  }
}

function compileNode(e: Expr, c: ExprCompiler): Compiled {
  const ctx = c.ctx;
  const sub = (x: Expr) => compileExpr(x, c);
  switch (e.k) {
    case 'lit':
      return constant(e.value, literalType(e));
    case 'ref':
      return compileRef(e, ctx, c.fromPathSet);
    case 'neg':
      return compileNegate(sub(e.e));
    case 'not':
      return compileNot(sub(e.e));
    case 'bin': {
      if (e.op === 'AND' || e.op === 'OR') return compileLogic(e.op, flattenLogic(e, e.op).map(sub));
      const l = sub(e.l);
      const r = sub(e.r);
      if (['=', '<>', '<', '>', '<=', '>='].includes(e.op))
        return compileComparison(e.op as ComparisonOp, l, r);
      return compileArithmetic(e.op, l, r);
    }
    case 'like':
      return compileLikeExpr(
        sub(e.e),
        sub(e.pattern),
        e.escape === undefined ? undefined : sub(e.escape),
        e.not,
      );
    case 'between':
      return compileBetween(sub(e.e), sub(e.lo), sub(e.hi), e.not);
    case 'in':
      return compileIn(sub(e.e), e.list.map(sub), e.not);
    case 'is':
      return compileIs(sub(e.e), e.what, e.not);
    case 'case':
      return compileCase(
        e.subject === undefined ? undefined : sub(e.subject),
        e.whens.map(([w, r]) => [sub(w), sub(r)]),
        e.otherwise === undefined ? undefined : sub(e.otherwise),
      );
    case 'cast':
      return compileCast(sub(e.e), e.type);
    case 'call':
      return compileCall(e, e.args.map(sub), ctx);
    case 'trim':
      return compileTrim(e.where, sub(e.e), e.chars === undefined ? undefined : sub(e.chars));
    case 'agg':
      return compileAggregate(e, c);
  }
}

function compileAggregate(e: Extract<Expr, { k: 'agg' }>, c: ExprCompiler): Compiled {
  const ctx = c.ctx;
  if (ctx.aggregates === undefined) {
    throw parseError('ParseUnsupportedSyntax', e.token, `${e.name} is allowed only in the SELECT list.`);
  }
  if (ctx.inAggregate)
    throw parseError('ParseUnsupportedSyntax', e.token, 'Aggregate functions cannot be nested.');
  let slot: AggregateSlot;
  let input: { key: string; arg: Expr | '*'; fn: Fn };
  if (e.arg === '*') {
    slot = makeAggregate(e.name, true, 'any');
    input = { key: '*', arg: '*', fn: () => null };
  } else {
    ctx.inAggregate = true;
    try {
      const arg = compileExpr(e.arg, c);
      slot = makeAggregate(e.name, false, arg.type, ctx.recordValues);
      input = { key: exprKey(e.arg), arg: e.arg, fn: arg.fn };
    } finally {
      ctx.inAggregate = false;
    }
  }
  const same = ctx.aggregates.find((a) => a.key === input.key);
  if (same !== undefined) same.slots.push(slot);
  else ctx.aggregates.push({ ...input, slots: [slot] });
  const type: StaticType = e.name === 'COUNT' ? 'int' : e.name === 'AVG' ? 'float' : 'any';
  // Read when the aggregate row is built, after all records are folded in.
  return dynamic(() => slot.result(), type);
}

let uniqueKeys = 0;

/**
 * A structural key of an expression (its tree without source positions), so
 * that SUM(x) and AVG(x) share x. A tree too deep to serialise gets a key of
 * its own (no sharing).
 */
function exprKey(e: Expr): string {
  try {
    return JSON.stringify(e, (key, value: unknown) => (key === 'token' ? undefined : value));
  } catch {
    return `#${++uniqueKeys}`;
  }
}
