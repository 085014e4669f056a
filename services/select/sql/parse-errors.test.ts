import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileQuery } from './index.js';
import type { CompileOptions } from '../types.js';
import { assertS3Error, CSV_NONE, CSV_USE, JSON_OPTS } from './test-support.js';

interface ErrorCase {
  sql: string;
  code: string;
  line?: number;
  column?: number;
  tokenType?: string;
  tokenValue?: string;
  opts?: CompileOptions;
}

// Positions are 1-based, as S3 reports them in the Line and Column elements.
const CASES: ErrorCase[] = [
  {
    sql: 'SELECT * FROM S3Object WHERE a # 1',
    code: 'LexerInvalidChar',
    line: 1,
    column: 32,
    tokenValue: '#',
  },
  { sql: "SELECT 'abc FROM S3Object", code: 'LexerInvalidLiteral', line: 1, column: 8, tokenType: 'LITERAL' },
  { sql: 'SELECT 1e FROM S3Object', code: 'LexerInvalidLiteral', line: 1, column: 8 },
  {
    sql: 'SELECT "abc FROM S3Object',
    code: 'LexerInvalidLiteral',
    line: 1,
    column: 8,
    tokenType: 'QUOTED_IDENTIFIER',
  },
  {
    sql: 'SELECT `2020-13T` FROM S3Object',
    code: 'LexerInvalidLiteral',
    line: 1,
    column: 8,
    tokenType: 'ION_LITERAL',
  },
  {
    sql: 'SELECT a FROM S3Object WHERE a ^ 2',
    code: 'ParseUnknownOperator',
    line: 1,
    column: 32,
    tokenType: 'OPERATOR',
    tokenValue: '^',
  },
  {
    sql: 'SELECT a FROM S3Object WHERE a == 2',
    code: 'ParseUnknownOperator',
    line: 1,
    column: 32,
    tokenValue: '==',
  },
  {
    sql: 'SELECT a FROM S3Object WHERE',
    code: 'ParseExpectedExpression',
    line: 1,
    column: 29,
    tokenType: 'EOF',
  },
  {
    sql: 'SELECT a FROM S3Object WHERE a = ',
    code: 'ParseExpectedExpression',
    line: 1,
    column: 34,
    tokenType: 'EOF',
  },
  {
    sql: 'SELECT a\nFROM S3Object\nWHERE a = = 1',
    code: 'ParseExpectedExpression',
    line: 3,
    column: 11,
    tokenType: 'OPERATOR',
    tokenValue: '=',
  },
  { sql: 'SELECT a', code: 'ParseSelectMissingFrom', line: 1, column: 9, tokenType: 'EOF' },
  {
    sql: 'SELECT a WHERE a = 1',
    code: 'ParseSelectMissingFrom',
    line: 1,
    column: 10,
    tokenType: 'KEYWORD',
    tokenValue: 'WHERE',
  },
  {
    sql: 'SELECT a b c FROM S3Object',
    code: 'ParseUnexpectedToken',
    line: 1,
    column: 12,
    tokenType: 'IDENTIFIER',
    tokenValue: 'c',
  },
  { sql: 'SELECT a FROM S3Object s t', code: 'ParseUnexpectedToken', line: 1, column: 26, tokenValue: 't' },
  { sql: 'UPDATE S3Object', code: 'ParseUnexpectedToken', line: 1, column: 1, tokenValue: 'UPDATE' },
  {
    sql: 'SELECT s.1 FROM S3Object s',
    code: 'ParseInvalidPathComponent',
    line: 1,
    column: 10,
    tokenType: 'LITERAL',
    tokenValue: '1',
  },
  {
    sql: 'SELECT s[-1] FROM S3Object s',
    code: 'ParseInvalidPathComponent',
    line: 1,
    column: 10,
    tokenValue: '-',
  },
  {
    sql: 'SELECT s.value FROM S3Object s',
    code: 'ParseInvalidPathComponent',
    line: 1,
    column: 10,
    tokenType: 'KEYWORD',
  },
  { sql: 'SELECT a FROM S3Object.a', code: 'ParseInvalidPathComponent', line: 1, column: 24 },
  {
    sql: 'SELECT value FROM S3Object',
    code: 'ParseUnexpectedKeyword',
    line: 1,
    column: 8,
    tokenType: 'KEYWORD',
    tokenValue: 'value',
  },
  { sql: 'SELECT * FROM S3Object s JOIN S3Object t', code: 'ParseMalformedJoin', line: 1, column: 26 },
  {
    sql: 'SELECT * FROM S3Object s, S3Object t',
    code: 'ParseMalformedJoin',
    line: 1,
    column: 25,
    tokenType: 'COMMA',
  },
  {
    sql: 'SELECT CAST(a AS FOO) FROM S3Object',
    code: 'ParseExpectedTypeName',
    line: 1,
    column: 18,
    tokenValue: 'FOO',
  },
  { sql: 'SELECT CAST(a AS 5) FROM S3Object', code: 'ParseExpectedTypeName', line: 1, column: 18 },
  { sql: 'SELECT CAST(a, 1) FROM S3Object', code: 'ParseCastArity', line: 1, column: 14, tokenType: 'COMMA' },
  {
    sql: 'SELECT CAST(a AS INT(5)) FROM S3Object',
    code: 'ParseCastArity',
    line: 1,
    column: 18,
    tokenValue: 'INT',
  },
  { sql: 'SELECT CAST(a AS DECIMAL(x)) FROM S3Object', code: 'ParseInvalidTypeParam', line: 1, column: 26 },
  { sql: 'SELECT CAST a FROM S3Object', code: 'ParseExpectedLeftParenAfterCast', line: 1, column: 13 },
  {
    sql: 'SELECT *, a FROM S3Object',
    code: 'ParseAsteriskIsNotAloneInSelectList',
    line: 1,
    column: 9,
    tokenType: 'COMMA',
  },
  {
    sql: 'SELECT a, * FROM S3Object',
    code: 'ParseAsteriskIsNotAloneInSelectList',
    line: 1,
    column: 11,
    tokenType: 'STAR',
  },
  {
    sql: 'SELECT SUM(a, b) FROM S3Object',
    code: 'ParseNonUnaryAgregateFunctionCall',
    line: 1,
    column: 13,
    tokenType: 'COMMA',
  },
  { sql: 'SELECT MAX() FROM S3Object', code: 'ParseNonUnaryAgregateFunctionCall', line: 1, column: 12 },
  { sql: 'SELECT SUM(*) FROM S3Object', code: 'ParseUnsupportedCallWithStar', line: 1, column: 12 },
  { sql: 'SELECT FOO(a) FROM S3Object', code: 'UnsupportedFunction', line: 1, column: 8, tokenValue: 'FOO' },
  { sql: 'SELECT LOWER(a, b) FROM S3Object', code: 'EvaluatorInvalidArguments', line: 1, column: 8 },
  { sql: 'SELECT UTCNOW(1) FROM S3Object', code: 'EvaluatorInvalidArguments', line: 1, column: 8 },
  {
    sql: 'SELECT LOWER a FROM S3Object',
    code: 'ParseExpectedLeftParenBuiltinFunctionCall',
    line: 1,
    column: 14,
  },
  {
    sql: 'SELECT UPPER(a FROM S3Object',
    code: 'ParseExpectedRightParenBuiltinFunctionCall',
    line: 1,
    column: 16,
  },
  { sql: 'SELECT SUBSTRING(a 1) FROM S3Object', code: 'ParseExpectedArgumentDelimiter', line: 1, column: 20 },
  {
    sql: 'SELECT EXTRACT(WEEK FROM a) FROM S3Object',
    code: 'ParseExpectedDatePart',
    line: 1,
    column: 16,
    tokenValue: 'WEEK',
  },
  {
    sql: 'SELECT DATE_ADD(timezone_hour, 1, a) FROM S3Object',
    code: 'ParseExpectedDatePart',
    line: 1,
    column: 17,
  },
  { sql: 'SELECT EXTRACT(YEAR a) FROM S3Object', code: 'ParseExpectedKeyword', line: 1, column: 21 },
  { sql: 'SELECT CASE a END FROM S3Object', code: 'ParseExpectedWhenClause', line: 1, column: 15 },
  { sql: 'SELECT CASE WHEN a THEN 1 FROM S3Object', code: 'ParseExpectedKeyword', line: 1, column: 27 },
  {
    sql: 'SELECT a FROM S3Object WHERE a IN 1',
    code: 'ParseExpectedLeftParenValueConstructor',
    line: 1,
    column: 35,
  },
  { sql: 'SELECT a FROM S3Object LIMIT -1', code: 'EvaluatorNegativeLimit', line: 1, column: 30 },
  { sql: 'SELECT a FROM S3Object LIMIT x', code: 'ParseExpectedNumber', line: 1, column: 30 },
  { sql: 'SELECT FROM S3Object', code: 'ParseEmptySelect', line: 1, column: 8 },
  { sql: 'SELECT a AS FROM S3Object', code: 'ParseExpectedIdentForAlias', line: 1, column: 13 },
  { sql: 'SELECT a FROM S3Object GROUP BY a', code: 'ParseUnsupportedLiteralsGroupBy', line: 1, column: 24 },
  { sql: 'SELECT a FROM S3Object ORDER BY a', code: 'ParseUnsupportedSyntax', line: 1, column: 24 },
  { sql: 'SELECT DISTINCT a FROM S3Object', code: 'ParseUnsupportedSyntax', line: 1, column: 8 },
  {
    sql: 'SELECT a FROM S3Object WHERE a IN (SELECT 1)',
    code: 'ParseUnsupportedSyntax',
    line: 1,
    column: 36,
  },
  { sql: 'SELECT a FROM mytable', code: 'ParseUnsupportedSyntax', line: 1, column: 15 },
  {
    sql: 'SELECT s[*] FROM S3Object s',
    code: 'ParseCannotMixSqbAndWildcardInSelectList',
    line: 1,
    column: 10,
  },
  {
    sql: 'SELECT s.a.* FROM S3Object s',
    code: 'ParseInvalidContextForWildcardInSelectList',
    line: 1,
    column: 12,
  },
  { sql: 'SELECT a FROM S3Object WHERE COUNT(*) > 1', code: 'ParseUnsupportedSyntax', line: 1, column: 30 },
  {
    sql: 'SELECT COUNT(*), s._1 FROM S3Object s',
    code: 'ParseUnsupportedSelect',
    line: 1,
    column: 18,
    opts: CSV_NONE,
  },
  { sql: 'SELECT x._1 FROM S3Object s', code: 'InvalidTableAlias', line: 1, column: 8, opts: CSV_NONE },
  { sql: 'SELECT t.* FROM S3Object s', code: 'InvalidTableAlias', line: 1, column: 8 },
  { sql: 'SELECT _0 FROM S3Object', code: 'InvalidColumnIndex', line: 1, column: 8, opts: CSV_NONE },
  {
    sql: 'SELECT s.name FROM S3Object s',
    code: 'EvaluatorBindingDoesNotExist',
    line: 1,
    column: 10,
    opts: CSV_NONE,
  },
  { sql: 'SELECT * FROM S3Object[*].a s', code: 'ParseInvalidPathComponent', opts: CSV_NONE },
];

describe('SQL parse and compile errors carry S3 codes and positions', () => {
  for (const c of CASES) {
    it(`${c.code}: ${c.sql.replace(/\n/g, '\\n')}`, () => {
      const details: Record<string, unknown> = {};
      if (c.line !== undefined) details['Line'] = c.line;
      if (c.column !== undefined) details['Column'] = c.column;
      if (c.tokenType !== undefined) details['TokenType'] = c.tokenType;
      if (c.tokenValue !== undefined) details['TokenValue'] = c.tokenValue;
      assertS3Error(() => compileQuery(c.sql, c.opts ?? JSON_OPTS), c.code, details);
    });
  }

  it('ExpressionTooLong: SQL over 256 KB in UTF-8 bytes', () => {
    // 90,000 three-byte characters are 270,000 bytes but fewer than 256 K characters.
    const sql = `SELECT * FROM S3Object s WHERE s.a = '${'€'.repeat(90_000)}'`;
    assert.ok(sql.length < 256 * 1024);
    assertS3Error(() => compileQuery(sql, JSON_OPTS), 'ExpressionTooLong');
    const fits = `SELECT * FROM S3Object s WHERE s.a = '${'x'.repeat(200_000)}'`;
    assert.doesNotThrow(() => compileQuery(fits, JSON_OPTS));
  });

  it('deep nesting is a parse error, not a stack overflow', () => {
    for (const sql of [
      `SELECT ${'('.repeat(5000)}1${')'.repeat(5000)} FROM S3Object`,
      `SELECT ${Array(5000).fill('1').join(' + ')} FROM S3Object`,
      `SELECT ${'NOT '.repeat(5000)}TRUE FROM S3Object`,
    ]) {
      assertS3Error(() => compileQuery(sql, JSON_OPTS), 'ParseUnsupportedSyntax');
    }
  });

  it('long AND / OR chains (generated queries) compile and run', () => {
    const ors = Array.from({ length: 12_000 }, (_, i) => `s.a = ${i}`).join(' OR ');
    const q = compileQuery(`SELECT SUM(CASE WHEN ${ors} THEN 1 ELSE 0 END) FROM S3Object s`, JSON_OPTS);
    q.process({ a: 11_999 });
    q.process({ a: -1 });
    assert.deepEqual(q.finish()!.values, [1]);
    const w = compileQuery(`SELECT s.a FROM S3Object s WHERE ${ors}`, JSON_OPTS);
    assert.equal(w.mayMatch(new Map([['a', { min: 20_000, max: 30_000 }]])), false);
  });

  it('errors have status 400', () => {
    try {
      compileQuery('SELECT', JSON_OPTS);
      assert.fail('expected an error');
    } catch (e) {
      assert.equal((e as { status: number }).status, 400);
    }
  });

  it('header names: MissingHeaderName and AmbiguousFieldName when the header is bound', () => {
    const missing = compileQuery('SELECT s."name" FROM S3Object s', CSV_USE);
    assertS3Error(() => missing.bindHeader(['NAME', 'age']), 'MissingHeaderName');
    const ambiguous = compileQuery('SELECT s.name FROM S3Object s', CSV_USE);
    assertS3Error(() => ambiguous.bindHeader(['NAME', 'name']), 'AmbiguousFieldName');
    const resolved = compileQuery('SELECT s."NAME" FROM S3Object s', CSV_USE);
    assert.doesNotThrow(() => resolved.bindHeader(['NAME', 'name']));
  });

  it('accepts comments, a trailing semicolon and keywords in any case', () => {
    for (const sql of [
      'select * from s3object -- all of it',
      'SELECT /* every\ncolumn */ * FROM S3Object;',
      'sElEcT s.a FrOm S3OBJECT AS s wHeRe s.a iS nOt NuLl LiMiT 5',
    ]) {
      assert.doesNotThrow(() => compileQuery(sql, JSON_OPTS), sql);
    }
  });
});
