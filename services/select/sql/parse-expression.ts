/**
 * Expressions: a Pratt parser. Binding powers follow the operator precedence
 * table of the S3 Select SQL reference (unary minus; * / %; + -; comparison
 * and the IN / BETWEEN / LIKE / IS predicates; NOT; AND; OR), with || between
 * the predicates and + -, as in PartiQL.
 */
import type { BinaryOp, Expr, PathStep } from './ast.js';
import { MAX_EXPRESSION_DEPTH } from './ast-walk.js';
import type { Token } from './lexer-types.js';
import { parseBuiltin, isBuiltinKeyword, parseCase, parseFunctionCall } from './parse-builtins.js';
import { parseError } from './sql-error.js';
import { parseTimestamp } from './timestamp.js';
import type { TokenCursor } from './token-cursor.js';

const BP_OR = 10;
const BP_AND = 20;
const BP_NOT = 30;
const BP_EQUALITY = 40;
const BP_ORDERING = 50;
const BP_PREDICATE = 60;
const BP_CONCAT = 65;
const BP_ADDITIVE = 70;
const BP_MULTIPLICATIVE = 80;
const BP_UNARY = 90;

const INFIX_OPERATORS: Record<string, [BinaryOp, number]> = {
  '=': ['=', BP_EQUALITY],
  '<>': ['<>', BP_EQUALITY],
  '!=': ['<>', BP_EQUALITY],
  '<': ['<', BP_ORDERING],
  '>': ['>', BP_ORDERING],
  '<=': ['<=', BP_ORDERING],
  '>=': ['>=', BP_ORDERING],
  '||': ['||', BP_CONCAT],
  '+': ['+', BP_ADDITIVE],
  '-': ['-', BP_ADDITIVE],
  '/': ['/', BP_MULTIPLICATIVE],
  '%': ['%', BP_MULTIPLICATIVE],
};

/** Keywords that end an expression: seeing one where an expression should start means it is missing. */
const CLAUSE_KEYWORDS = new Set([
  'FROM',
  'WHERE',
  'LIMIT',
  'AS',
  'AND',
  'OR',
  'THEN',
  'ELSE',
  'END',
  'WHEN',
  'ESCAPE',
  'FOR',
  'IS',
  'IN',
  'LIKE',
  'BETWEEN',
  'GROUP',
  'ORDER',
  'HAVING',
]);

export function parseExpr(cur: TokenCursor, minBp = 0): Expr {
  if (++cur.depth > MAX_EXPRESSION_DEPTH) {
    throw parseError('ParseUnsupportedSyntax', cur.peek(), 'The expression is nested too deeply.');
  }
  try {
    return parseInfix(cur, minBp);
  } finally {
    cur.depth--;
  }
}

function parseInfix(cur: TokenCursor, minBp: number): Expr {
  let left = parsePrefix(cur);
  for (;;) {
    const t = cur.peek();
    let bp: number;
    if (t.type === 'OPERATOR') {
      const op = INFIX_OPERATORS[t.value];
      if (op === undefined) throw parseError('ParseUnknownOperator', t, `Unknown operator ${t.value}.`);
      bp = op[1];
      if (bp <= minBp) return left;
      cur.next();
      left = { k: 'bin', op: op[0], l: left, r: parseExpr(cur, bp), token: t };
      continue;
    }
    if (t.type === 'STAR') {
      if (BP_MULTIPLICATIVE <= minBp) return left;
      cur.next();
      left = { k: 'bin', op: '*', l: left, r: parseExpr(cur, BP_MULTIPLICATIVE), token: t };
      continue;
    }
    if (t.type !== 'KEYWORD') return left;
    if (t.value === 'OR' || t.value === 'AND') {
      bp = t.value === 'OR' ? BP_OR : BP_AND;
      if (bp <= minBp) return left;
      cur.next();
      left = { k: 'bin', op: t.value, l: left, r: parseExpr(cur, bp), token: t };
      continue;
    }
    const negated = t.value === 'NOT' && ['LIKE', 'BETWEEN', 'IN'].some((kw) => cur.isKeyword(kw, 1));
    const kw = negated ? cur.peek(1).value : t.value;
    if (!['IS', 'LIKE', 'BETWEEN', 'IN'].includes(kw) || BP_PREDICATE <= minBp) return left;
    cur.next();
    if (negated) cur.next();
    left = parsePredicate(cur, kw, left, negated, t);
  }
}

function parsePredicate(cur: TokenCursor, kw: string, e: Expr, not: boolean, token: Token): Expr {
  switch (kw) {
    case 'IS': {
      const isNot = cur.acceptKeyword('NOT');
      const what = cur.next();
      if (what.type !== 'KEYWORD' || !['NULL', 'MISSING', 'TRUE', 'FALSE'].includes(what.value)) {
        throw parseError('ParseUnexpectedToken', what, 'Expected NULL, MISSING, TRUE or FALSE after IS.');
      }
      return { k: 'is', e, what: what.value as 'NULL' | 'MISSING' | 'TRUE' | 'FALSE', not: isNot, token };
    }
    case 'LIKE': {
      const pattern = parseExpr(cur, BP_PREDICATE);
      const escape = cur.acceptKeyword('ESCAPE') ? parseExpr(cur, BP_PREDICATE) : undefined;
      return { k: 'like', e, pattern, escape, not, token };
    }
    case 'BETWEEN': {
      const lo = parseExpr(cur, BP_PREDICATE);
      cur.expectKeyword('AND');
      const hi = parseExpr(cur, BP_PREDICATE);
      return { k: 'between', e, lo, hi, not, token };
    }
    default: {
      // IN (a, b, …) or IN [a, b, …]
      const open = cur.next();
      const close =
        open.type === 'LEFT_PAREN'
          ? 'RIGHT_PAREN'
          : open.type === 'LEFT_BRACKET'
            ? 'RIGHT_BRACKET'
            : undefined;
      if (close === undefined)
        throw parseError('ParseExpectedLeftParenValueConstructor', open, 'Expected ( after IN.');
      if (cur.isKeyword('SELECT'))
        throw parseError('ParseUnsupportedSyntax', cur.peek(), 'Subqueries are not supported.');
      const list: Expr[] = [parseExpr(cur)];
      while (cur.accept('COMMA')) list.push(parseExpr(cur));
      cur.expect(close, 'ParseExpectedTokenType');
      return { k: 'in', e, list, not, token };
    }
  }
}

function parsePrefix(cur: TokenCursor): Expr {
  const t = cur.peek();
  switch (t.type) {
    case 'LITERAL':
      cur.next();
      return { k: 'lit', value: t.literal === 'number' ? Number(t.value) : t.value, token: t };
    case 'ION_LITERAL':
      cur.next();
      return { k: 'lit', value: ionLiteral(t), token: t };
    case 'OPERATOR':
      if (t.value === '-' || t.value === '+') {
        cur.next();
        const e = parseExpr(cur, BP_UNARY);
        if (t.value === '+') return e;
        if (e.k === 'lit' && typeof e.value === 'number') return { k: 'lit', value: -e.value, token: t };
        return { k: 'neg', e, token: t };
      }
      throw parseError(INFIX_OPERATORS[t.value] ? 'ParseExpectedExpression' : 'ParseUnknownOperator', t);
    case 'LEFT_PAREN': {
      cur.next();
      if (cur.isKeyword('SELECT'))
        throw parseError('ParseUnsupportedSyntax', cur.peek(), 'Subqueries are not supported.');
      const e = parseExpr(cur);
      cur.expect('RIGHT_PAREN');
      return e;
    }
    case 'LEFT_BRACKET': {
      // A list constructor: [1, 2, 3]
      cur.next();
      const args: Expr[] = [];
      if (!cur.isType('RIGHT_BRACKET')) {
        args.push(parseExpr(cur));
        while (cur.accept('COMMA')) args.push(parseExpr(cur));
      }
      cur.expect('RIGHT_BRACKET');
      return { k: 'call', name: 'LIST', args, token: t };
    }
    case 'IDENTIFIER':
      if (cur.isType('LEFT_PAREN', 1)) return parseFunctionCall(cur);
      return parseReference(cur);
    case 'QUOTED_IDENTIFIER':
      return parseReference(cur);
    case 'KEYWORD':
      return parseKeywordPrefix(cur, t);
    default:
      throw parseError('ParseExpectedExpression', t, 'Expected an expression.');
  }
}

function parseKeywordPrefix(cur: TokenCursor, t: Token): Expr {
  switch (t.value) {
    case 'TRUE':
    case 'FALSE':
      cur.next();
      return { k: 'lit', value: t.value === 'TRUE', token: t };
    case 'NULL':
      cur.next();
      return { k: 'lit', value: null, token: t };
    case 'MISSING':
      cur.next();
      return { k: 'lit', value: undefined, token: t };
    case 'NOT':
      cur.next();
      return { k: 'not', e: parseExpr(cur, BP_NOT), token: t };
    case 'CASE':
      return parseCase(cur);
    case 'SELECT':
      throw parseError('ParseUnsupportedSyntax', t, 'Subqueries are not supported.');
    default:
      if (isBuiltinKeyword(t.value)) return parseBuiltin(cur);
      if (CLAUSE_KEYWORDS.has(t.value))
        throw parseError('ParseExpectedExpression', t, 'Expected an expression.');
      throw parseError(
        'ParseUnexpectedKeyword',
        t,
        `${t.value} is a reserved keyword: double-quote it to use it as a name.`,
      );
  }
}

/** A name and the path that follows it: s.a.b, s.a[0], s."Quoted Name", s['x'], s.*, S3Object[*]. */
function parseReference(cur: TokenCursor): Expr {
  const t = cur.next();
  const head = { kind: 'name' as const, name: t.value, quoted: t.type === 'QUOTED_IDENTIFIER', token: t };
  return { k: 'ref', head, steps: parsePathSteps(cur), token: t };
}

export function parsePathSteps(cur: TokenCursor): PathStep[] {
  const steps: PathStep[] = [];
  for (;;) {
    if (cur.isType('DOT')) {
      cur.next();
      const t = cur.next();
      if (t.type === 'IDENTIFIER' || t.type === 'QUOTED_IDENTIFIER') {
        steps.push({ kind: 'name', name: t.value, quoted: t.type === 'QUOTED_IDENTIFIER', token: t });
      } else if (t.type === 'STAR') {
        steps.push({ kind: 'wildcard', bracket: false, token: t });
      } else if (t.type === 'KEYWORD') {
        throw parseError(
          'ParseInvalidPathComponent',
          t,
          `${t.value} is a reserved keyword: double-quote it to use it as a name.`,
        );
      } else {
        throw parseError('ParseInvalidPathComponent', t, 'Invalid path component.');
      }
    } else if (cur.isType('LEFT_BRACKET')) {
      cur.next();
      const t = cur.next();
      if (t.type === 'STAR') steps.push({ kind: 'wildcard', bracket: true, token: t });
      else if (t.type === 'LITERAL' && t.literal === 'string')
        steps.push({ kind: 'name', name: t.value, quoted: true, token: t });
      else if (t.type === 'LITERAL' && /^\d+$/.test(t.value))
        steps.push({ kind: 'index', index: Number(t.value), token: t });
      else
        throw parseError(
          'ParseInvalidPathComponent',
          t,
          'A path index must be a non-negative integer, a string or *.',
        );
      cur.expect('RIGHT_BRACKET');
    } else {
      return steps;
    }
  }
}

/** A `backtick` literal: S3 examples write timestamps this way (DATE_ADD(year, 5, `2010-01-01T`)). */
function ionLiteral(t: Token) {
  const text = t.value.trim();
  const ts = parseTimestamp(text);
  if (ts !== undefined) return ts;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null') return null;
  if (/^"([^"\\]|\\.)*"$/.test(text)) return JSON.parse(text) as string;
  throw parseError('LexerInvalidLiteral', t, 'Invalid literal.');
}
