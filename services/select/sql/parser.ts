/**
 * The parser of S3 Select statements:
 *
 *   SELECT (* | item [, item]…) FROM S3Object[[*]path] [[AS] alias] [WHERE expr] [LIMIT n]
 *
 * Written here rather than with node-sql-parser: that parser's grammars do not
 * take S3 Select's dialect (S3Object[*] paths, MISSING, TRIM(LEADING … FROM …),
 * EXTRACT(YEAR FROM …), CAST(… AS TIMESTAMP), positional _N columns,
 * case-sensitive double-quoted names, `backtick` timestamps), and S3's parse
 * errors need the position of the offending token, which it does not give.
 */
import { errors } from '../../../shared/errors.js';
import { SELECT_LIMITS } from '../types.js';
import type { SelectItem, SelectStatement } from './ast.js';
import { tokenize } from './lexer.js';
import { parseExpr, parsePathSteps } from './parse-expression.js';
import { parseError } from './sql-error.js';
import { TokenCursor } from './token-cursor.js';

const JOIN_KEYWORDS = new Set(['JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'OUTER', 'NATURAL']);
const UNSUPPORTED_CLAUSES = new Set(['ORDER', 'HAVING', 'UNION', 'EXCEPT', 'INTERSECT', 'OFFSET']);

export function parseSelect(sql: string): SelectStatement {
  if (Buffer.byteLength(sql, 'utf8') > SELECT_LIMITS.maxExpressionBytes)
    throw errors.make('ExpressionTooLong');
  const cur = new TokenCursor(tokenize(sql));
  cur.expectKeyword('SELECT', 'ParseUnexpectedToken');
  if (cur.isKeyword('DISTINCT'))
    throw parseError('ParseUnsupportedSyntax', cur.peek(), 'SELECT DISTINCT is not supported.');
  cur.acceptKeyword('ALL');
  const items = parseSelectList(cur);

  if (!cur.isKeyword('FROM')) {
    const t = cur.peek();
    if (
      t.type === 'EOF' ||
      t.type === 'SEMICOLON' ||
      (t.type === 'KEYWORD' && (t.value === 'WHERE' || t.value === 'LIMIT'))
    ) {
      throw parseError('ParseSelectMissingFrom', t, 'Expected FROM after the SELECT list.');
    }
    throw parseError('ParseUnexpectedToken', t);
  }
  const fromToken = cur.next();
  const table = cur.next();
  if (
    (table.type !== 'IDENTIFIER' && table.type !== 'QUOTED_IDENTIFIER') ||
    table.value.toLowerCase() !== 's3object'
  ) {
    if (table.type === 'LEFT_PAREN')
      throw parseError('ParseUnsupportedSyntax', table, 'Subqueries are not supported.');
    throw parseError('ParseUnsupportedSyntax', table, 'The FROM clause must name S3Object.');
  }
  const fromPath = parsePathSteps(cur);
  // "FROM S3Object[*].path is valid, FROM S3Object.path is not" (SQL reference, FROM clause).
  const first = fromPath[0];
  if (first !== undefined && first.kind !== 'wildcard') {
    throw parseError('ParseInvalidPathComponent', first.token, 'A FROM path must start with S3Object[*].');
  }
  let alias: string | undefined;
  if (cur.acceptKeyword('AS')) {
    const a = cur.next();
    if (a.type !== 'IDENTIFIER' && a.type !== 'QUOTED_IDENTIFIER')
      throw parseError('ParseExpectedIdentForAlias', a, 'Expected an alias.');
    alias = a.value;
  } else if (cur.isType('IDENTIFIER') || cur.isType('QUOTED_IDENTIFIER')) {
    alias = cur.next().value;
  }
  if (cur.isType('COMMA') || (JOIN_KEYWORDS.has(cur.peek().value) && cur.isType('KEYWORD'))) {
    throw parseError('ParseMalformedJoin', cur.peek(), 'Joins are not supported.');
  }

  const where = cur.acceptKeyword('WHERE') ? parseExpr(cur) : undefined;
  if (cur.isKeyword('GROUP'))
    throw parseError('ParseUnsupportedLiteralsGroupBy', cur.peek(), 'GROUP BY is not supported.');
  if (cur.isType('KEYWORD') && UNSUPPORTED_CLAUSES.has(cur.peek().value)) {
    throw parseError('ParseUnsupportedSyntax', cur.peek(), `${cur.peek().value} is not supported.`);
  }
  let limit: number | undefined;
  if (cur.acceptKeyword('LIMIT')) {
    const t = cur.next();
    if (t.type === 'OPERATOR' && t.value === '-' && cur.isType('LITERAL')) {
      throw parseError('EvaluatorNegativeLimit', t, 'LIMIT must not be negative.');
    }
    if (t.type !== 'LITERAL' || !/^\d+$/.test(t.value))
      throw parseError('ParseExpectedNumber', t, 'LIMIT takes a whole number.');
    limit = Number(t.value);
  }
  cur.accept('SEMICOLON');
  const end = cur.peek();
  if (end.type !== 'EOF') {
    if (end.type === 'KEYWORD' && (UNSUPPORTED_CLAUSES.has(end.value) || end.value === 'GROUP')) {
      throw parseError(
        end.value === 'GROUP' ? 'ParseUnsupportedLiteralsGroupBy' : 'ParseUnsupportedSyntax',
        end,
      );
    }
    throw parseError('ParseUnexpectedToken', end);
  }
  return { items, fromPath, fromToken, alias, where, limit };
}

function parseSelectList(cur: TokenCursor): SelectItem[] | undefined {
  if (cur.isType('STAR')) {
    cur.next();
    if (cur.isType('COMMA')) throw parseError('ParseAsteriskIsNotAloneInSelectList', cur.peek());
    return undefined;
  }
  if (cur.isKeyword('FROM')) throw parseError('ParseEmptySelect', cur.peek(), 'The SELECT list is empty.');
  const items: SelectItem[] = [];
  do {
    if (cur.isType('STAR')) throw parseError('ParseAsteriskIsNotAloneInSelectList', cur.peek());
    const e = parseExpr(cur);
    if (e.k === 'ref') {
      const wild = e.steps.findIndex((s) => s.kind === 'wildcard');
      if (wild >= 0) {
        const step = e.steps[wild]!;
        if (step.kind === 'wildcard' && step.bracket)
          throw parseError('ParseCannotMixSqbAndWildcardInSelectList', step.token);
        // Only alias.* (or S3Object.*): a wildcard deeper in a path has no meaning in a SELECT list.
        if (wild !== 0 || e.steps.length !== 1)
          throw parseError('ParseInvalidContextForWildcardInSelectList', step.token);
        items.push({ k: 'star', token: e.token });
        continue;
      }
    }
    let alias: string | undefined;
    if (cur.acceptKeyword('AS')) {
      const a = cur.next();
      if (a.type !== 'IDENTIFIER' && a.type !== 'QUOTED_IDENTIFIER')
        throw parseError('ParseExpectedIdentForAlias', a, 'Expected an alias.');
      alias = a.value;
    } else if (cur.isType('IDENTIFIER') || cur.isType('QUOTED_IDENTIFIER')) {
      alias = cur.next().value;
    }
    items.push({ k: 'expr', e, alias });
  } while (cur.accept('COMMA'));
  return items;
}
