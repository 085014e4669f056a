/**
 * The built-in forms with their own syntax: CAST(x AS type), TRIM([LEADING|
 * TRAILING|BOTH] [chars] FROM s), SUBSTRING(s FROM a FOR b), EXTRACT(part FROM
 * ts), DATE_ADD / DATE_DIFF with a date part, the aggregates, CASE, and plain
 * function calls (checked against the functions S3 Select has).
 */
import type { AggregateName, CastType, DatePart, Expr } from './ast.js';
import type { Token } from './lexer-types.js';
import { parseExpr } from './parse-expression.js';
import { parseError } from './sql-error.js';
import type { TokenCursor } from './token-cursor.js';

const AGGREGATES = new Set<string>(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']);

/** Reserved keywords that name functions. */
const FUNCTION_KEYWORDS = new Set<string>([
  ...AGGREGATES,
  'CAST',
  'TRIM',
  'SUBSTRING',
  'EXTRACT',
  'LOWER',
  'UPPER',
  'CHAR_LENGTH',
  'CHARACTER_LENGTH',
  'COALESCE',
  'NULLIF',
]);

/** Plain functions and their arity [min, max]. */
const FUNCTION_ARITY: Record<string, readonly [number, number]> = {
  LOWER: [1, 1],
  UPPER: [1, 1],
  CHAR_LENGTH: [1, 1],
  CHARACTER_LENGTH: [1, 1],
  COALESCE: [1, Infinity],
  NULLIF: [2, 2],
  TO_STRING: [2, 2],
  TO_TIMESTAMP: [1, 1],
  UTCNOW: [0, 0],
  DATE_ADD: [3, 3],
  DATE_DIFF: [3, 3],
};

const CAST_TYPES: Record<string, [CastType, number]> = {
  INT: ['INT', 0],
  INTEGER: ['INT', 0],
  FLOAT: ['FLOAT', 0],
  DOUBLE: ['FLOAT', 0],
  REAL: ['FLOAT', 0],
  DECIMAL: ['DECIMAL', 2],
  NUMERIC: ['DECIMAL', 2],
  STRING: ['STRING', 0],
  VARCHAR: ['STRING', 1],
  BOOL: ['BOOL', 0],
  BOOLEAN: ['BOOL', 0],
  TIMESTAMP: ['TIMESTAMP', 0],
};

const DATE_PARTS = new Set<string>(['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND']);
const EXTRACT_PARTS = new Set<string>([...DATE_PARTS, 'TIMEZONE_HOUR', 'TIMEZONE_MINUTE']);

export function isBuiltinKeyword(kw: string): boolean {
  return FUNCTION_KEYWORDS.has(kw);
}

function openParen(
  cur: TokenCursor,
  code: 'ParseExpectedLeftParenBuiltinFunctionCall' | 'ParseExpectedLeftParenAfterCast',
): void {
  cur.expect('LEFT_PAREN', code);
}

function closeParen(cur: TokenCursor): void {
  if (cur.isType('COMMA')) throw parseError('ParseUnexpectedToken', cur.peek(), 'Too many arguments.');
  cur.expect('RIGHT_PAREN', 'ParseExpectedRightParenBuiltinFunctionCall');
}

/** A reserved-keyword function: CAST, TRIM, SUBSTRING, EXTRACT, an aggregate, or a keyword-named function. */
export function parseBuiltin(cur: TokenCursor): Expr {
  const t = cur.next();
  switch (t.value) {
    case 'CAST':
      return parseCast(cur, t);
    case 'TRIM':
      return parseTrim(cur, t);
    case 'SUBSTRING':
      return parseSubstring(cur, t);
    case 'EXTRACT': {
      openParen(cur, 'ParseExpectedLeftParenBuiltinFunctionCall');
      const part = datePart(cur, EXTRACT_PARTS);
      cur.expectKeyword('FROM');
      const e = parseExpr(cur);
      closeParen(cur);
      return { k: 'call', name: 'EXTRACT', args: [e], part, token: t };
    }
    default:
      if (AGGREGATES.has(t.value)) return parseAggregate(cur, t);
      return parseArguments(cur, t, t.value);
  }
}

/** A function named by an identifier: DATE_ADD, DATE_DIFF, TO_STRING, TO_TIMESTAMP, UTCNOW. */
export function parseFunctionCall(cur: TokenCursor): Expr {
  const t = cur.next();
  const name = t.value.toUpperCase();
  if (FUNCTION_ARITY[name] === undefined)
    throw parseError('UnsupportedFunction', t, `Unsupported function ${t.value}.`);
  return parseArguments(cur, t, name);
}

function parseArguments(cur: TokenCursor, t: Token, name: string): Expr {
  openParen(cur, 'ParseExpectedLeftParenBuiltinFunctionCall');
  let part: DatePart | undefined;
  const args: Expr[] = [];
  if (name === 'DATE_ADD' || name === 'DATE_DIFF') {
    part = datePart(cur, DATE_PARTS);
    if (!cur.isType('RIGHT_PAREN')) cur.expect('COMMA', 'ParseExpectedArgumentDelimiter');
  }
  if (!cur.isType('RIGHT_PAREN')) {
    args.push(parseExpr(cur));
    while (cur.accept('COMMA')) args.push(parseExpr(cur));
  }
  cur.expect('RIGHT_PAREN', 'ParseExpectedRightParenBuiltinFunctionCall');
  const arity = FUNCTION_ARITY[name]!;
  const count = args.length + (part === undefined ? 0 : 1);
  const [min, max] = name === 'DATE_ADD' || name === 'DATE_DIFF' ? [arity[0] - 1, arity[1] - 1] : arity;
  if (args.length < min || args.length > max) {
    throw parseError(
      'EvaluatorInvalidArguments',
      t,
      `${name} takes ${arity[0]}${arity[1] === arity[0] ? '' : ' or more'} argument(s), ${count} given.`,
    );
  }
  return { k: 'call', name: name === 'CHARACTER_LENGTH' ? 'CHAR_LENGTH' : name, args, part, token: t };
}

function datePart(cur: TokenCursor, allowed: ReadonlySet<string>): DatePart {
  const t = cur.next();
  const name = t.value.toUpperCase();
  if ((t.type !== 'KEYWORD' && t.type !== 'IDENTIFIER') || !allowed.has(name)) {
    throw parseError('ParseExpectedDatePart', t, 'Expected a date part.');
  }
  return name as DatePart;
}

function parseCast(cur: TokenCursor, t: Token): Expr {
  openParen(cur, 'ParseExpectedLeftParenAfterCast');
  const e = parseExpr(cur);
  if (cur.isType('COMMA') || cur.isType('RIGHT_PAREN'))
    throw parseError('ParseCastArity', cur.peek(), 'CAST takes an expression AS a type.');
  cur.expectKeyword('AS');
  const typeToken = cur.next();
  const type = CAST_TYPES[typeToken.value.toUpperCase()];
  if ((typeToken.type !== 'KEYWORD' && typeToken.type !== 'IDENTIFIER') || type === undefined) {
    throw parseError('ParseExpectedTypeName', typeToken, 'Expected a type name.');
  }
  if (cur.accept('LEFT_PAREN')) {
    // Type parameters (DECIMAL(10, 2), VARCHAR(20)) are accepted and ignored, as S3 ignores scale and precision.
    let count = 0;
    do {
      const p = cur.next();
      if (p.type !== 'LITERAL' || !/^\d+$/.test(p.value))
        throw parseError('ParseInvalidTypeParam', p, 'Expected an integer type parameter.');
      count++;
    } while (cur.accept('COMMA'));
    if (count > type[1])
      throw parseError(
        'ParseCastArity',
        typeToken,
        `${typeToken.value} takes at most ${type[1]} parameter(s).`,
      );
    cur.expect('RIGHT_PAREN');
  }
  closeParen(cur);
  return { k: 'cast', e, type: type[0], token: t };
}

function parseTrim(cur: TokenCursor, t: Token): Expr {
  openParen(cur, 'ParseExpectedLeftParenBuiltinFunctionCall');
  let where: 'LEADING' | 'TRAILING' | 'BOTH' = 'BOTH';
  let chars: Expr | undefined;
  let e: Expr;
  const spec = cur.peek();
  if (
    spec.type === 'KEYWORD' &&
    (spec.value === 'LEADING' || spec.value === 'TRAILING' || spec.value === 'BOTH')
  ) {
    cur.next();
    where = spec.value;
    if (!cur.isKeyword('FROM')) chars = parseExpr(cur);
    cur.expectKeyword('FROM');
    e = parseExpr(cur);
  } else {
    const first = parseExpr(cur);
    if (cur.acceptKeyword('FROM')) {
      chars = first;
      e = parseExpr(cur);
    } else {
      e = first;
    }
  }
  closeParen(cur);
  return { k: 'trim', where, chars, e, token: t };
}

function parseSubstring(cur: TokenCursor, t: Token): Expr {
  openParen(cur, 'ParseExpectedLeftParenBuiltinFunctionCall');
  const args: Expr[] = [parseExpr(cur)];
  if (cur.acceptKeyword('FROM')) {
    args.push(parseExpr(cur));
    if (cur.acceptKeyword('FOR')) args.push(parseExpr(cur));
  } else {
    cur.expect('COMMA', 'ParseExpectedArgumentDelimiter');
    args.push(parseExpr(cur));
    if (cur.accept('COMMA')) args.push(parseExpr(cur));
  }
  closeParen(cur);
  return { k: 'call', name: 'SUBSTRING', args, token: t };
}

function parseAggregate(cur: TokenCursor, t: Token): Expr {
  openParen(cur, 'ParseExpectedLeftParenBuiltinFunctionCall');
  const name = t.value as AggregateName;
  if (cur.isKeyword('DISTINCT'))
    throw parseError('ParseUnsupportedSyntax', cur.peek(), `${name}(DISTINCT …) is not supported.`);
  cur.acceptKeyword('ALL');
  let arg: Expr | '*';
  if (cur.isType('STAR')) {
    if (name !== 'COUNT')
      throw parseError('ParseUnsupportedCallWithStar', cur.peek(), `${name}(*) is not supported.`);
    cur.next();
    arg = '*';
  } else {
    if (cur.isType('RIGHT_PAREN'))
      throw parseError('ParseNonUnaryAgregateFunctionCall', cur.peek(), `${name} takes one argument.`);
    arg = parseExpr(cur);
  }
  if (cur.isType('COMMA'))
    throw parseError('ParseNonUnaryAgregateFunctionCall', cur.peek(), `${name} takes one argument.`);
  cur.expect('RIGHT_PAREN', 'ParseExpectedRightParenBuiltinFunctionCall');
  return { k: 'agg', name, arg, token: t };
}

export function parseCase(cur: TokenCursor): Expr {
  const t = cur.next();
  const subject = cur.isKeyword('WHEN') ? undefined : parseExpr(cur);
  const whens: (readonly [Expr, Expr])[] = [];
  while (cur.acceptKeyword('WHEN')) {
    const when = parseExpr(cur);
    cur.expectKeyword('THEN');
    whens.push([when, parseExpr(cur)]);
  }
  if (whens.length === 0)
    throw parseError('ParseExpectedWhenClause', cur.peek(), 'CASE needs at least one WHEN clause.');
  const otherwise = cur.acceptKeyword('ELSE') ? parseExpr(cur) : undefined;
  cur.expectKeyword('END');
  return { k: 'case', subject, whens, otherwise, token: t };
}
