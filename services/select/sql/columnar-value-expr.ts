/**
 * Compiles a WHERE conjunct over one column (see columnar-plan.ts) into a
 * function of that column's value instead of the row: the same compile
 * functions as compile-expr.ts, given the value itself where the row path
 * gives the column read from the record (a reference compiles to a value of
 * static type 'any' in both, for non-CSV input), so both give the same
 * verdict for the same value.
 */
import { errors } from '../../../shared/errors.js';
import type { Expr } from './ast.js';
import { flattenLogic } from './ast-walk.js';
import { compileNegate } from './compile-arithmetic.js';
import { literalType } from './compile-expr.js';
import { compileLikeExpr } from './compile-functions.js';
import {
  compileBetween,
  compileComparison,
  compileIn,
  compileIs,
  compileLogic,
  compileNot,
  type ComparisonOp,
} from './compile-predicates.js';
import type { CompileContext, Compiled, Fn } from './compiled.js';
import { constant, dynamic } from './compiled.js';

const theValue = dynamic((v) => v);

function compile(e: Expr): Compiled {
  switch (e.k) {
    case 'lit':
      return constant(e.value, literalType(e));
    case 'ref':
      return theValue;
    case 'neg':
      return compileNegate(compile(e.e));
    case 'not':
      return compileNot(compile(e.e));
    case 'bin':
      if (e.op === 'AND' || e.op === 'OR') return compileLogic(e.op, flattenLogic(e, e.op).map(compile));
      return compileComparison(e.op as ComparisonOp, compile(e.l), compile(e.r));
    case 'between':
      return compileBetween(compile(e.e), compile(e.lo), compile(e.hi), e.not);
    case 'in':
      return compileIn(compile(e.e), e.list.map(compile), e.not);
    case 'is':
      return compileIs(compile(e.e), e.what, e.not);
    case 'like':
      return compileLikeExpr(
        compile(e.e),
        compile(e.pattern),
        e.escape === undefined ? undefined : compile(e.escape),
        e.not,
      );
    default:
      throw errors.internal(new Error(`not a columnar conjunct: ${e.k}`));
  }
}

/** `e` (a conjunct columnar-plan.ts found safe, over at most one column) as a function of the value. */
export function compileOverValue(e: Expr, _ctx: CompileContext): Fn {
  return compile(e).fn;
}
