/**
 * Helpers over the syntax tree that must not recurse on its length: a WHERE
 * clause of thousands of ORs (generated queries) is a thousands-deep tree.
 */
import type { Expr } from './ast.js';

/** The operands of a chain of AND (or OR): a AND (b AND c) AND d → [a, b, c, d]. */
export function flattenLogic(e: Expr, op: 'AND' | 'OR'): Expr[] {
  const out: Expr[] = [];
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.k === 'bin' && x.op === op) stack.push(x.r, x.l);
    else out.push(x);
  }
  return out;
}

/** Deepest nesting the parser and compiler accept (parentheses, operators other than AND / OR). */
export const MAX_EXPRESSION_DEPTH = 1000;
