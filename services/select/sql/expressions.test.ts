import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SelectValue } from '../types.js';
import { assertS3Error, evalOne } from './test-support.js';

/** The record every expression below is evaluated against, as `s`. */
const R = {
  a: 1,
  b: 2.5,
  i: 7,
  neg: -3,
  s: 'abc',
  n: null,
  t: true,
  f: false,
  arr: [1, 2, 3],
  obj: { x: 1, 'Y Z': 2, deep: { k: 'v' } },
  Name: 'up',
  str5: '5',
  big: 9007199254740993n,
};

type Case = readonly [expr: string, expected: SelectValue];

function table(title: string, cases: readonly Case[]): void {
  describe(title, () => {
    for (const [expr, expected] of cases) {
      it(`${expr} → ${expected === undefined ? 'MISSING' : JSON.stringify(expected, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`, () => {
        assert.deepEqual(evalOne(expr, R), expected);
      });
    }
  });
}

table('arithmetic', [
  ['1 + 2', 3],
  ['s.a + s.b', 3.5],
  ['10 - 4 - 3', 3],
  ['2 * 3 + 4', 10],
  ['2 + 3 * 4', 14],
  ['(2 + 3) * 4', 20],
  ['7 / 2', 3],
  ['-7 / 2', -3],
  ['7.0 / 2', 3.5],
  ['s.b / 2', 1.25],
  ['7 % 3', 1],
  ['-7 % 3', -1],
  ['7 / 0', null],
  ['7 % 0', null],
  ['-s.i', -7],
  ['- -s.i', 7],
  ['-(1 + 2)', -3],
  ['s.a + NULL', null],
  ['s.a + s.nothing', undefined],
  ['NULL * MISSING', undefined],
  ['s.big + s.big', 18014398509481986n],
  ['s.big - 1', 9007199254740992n],
  ['s.big * 0.5', 4503599627370496],
  ['1e3 + 0.5', 1000.5],
]);

table('string concatenation', [
  ["'ab' || 'cd'", 'abcd'],
  ["s.s || '-' || s.Name", 'abc-up'],
  ["'n' || 5", 'n5'],
  ["'x' || NULL", null],
  ["'x' || s.nothing", undefined],
]);

table('comparison', [
  ['1 = 1', true],
  ['1 = 1.0', true],
  ['1 = 2', false],
  ['1 <> 2', true],
  ['1 != 1', false],
  ['1 < 2', true],
  ['2 < 1', false],
  ['2 <= 2', true],
  ['3 > 2', true],
  ['2 >= 3', false],
  ["'abc' < 'abd'", true],
  ["'b' > 'abc'", true],
  ["s.s = 'abc'", true],
  ["'5' = 5", false],
  ['s.str5 < 6', null],
  ['s.str5 <> 5', true],
  ['TRUE = TRUE', true],
  ['FALSE < TRUE', true],
  ['s.a = NULL', null],
  ['NULL = NULL', null],
  ['s.nothing = 1', undefined],
  ['s.arr = s.arr', true],
  ['s.big > 9007199254740992', true],
  ['`2010-01-01T` < `2010-01-02T`', true],
  ['`2010-01-01T00:00Z` = `2009-12-31T19:00-05:00`', true],
]);

table('logic (three-valued)', [
  ['TRUE AND TRUE', true],
  ['TRUE AND FALSE', false],
  ['FALSE AND NULL', false],
  ['NULL AND FALSE', false],
  ['TRUE AND NULL', null],
  ['TRUE AND s.nothing', null],
  ['TRUE OR NULL', true],
  ['NULL OR TRUE', true],
  ['FALSE OR NULL', null],
  ['FALSE OR FALSE', false],
  ['NOT TRUE', false],
  ['NOT FALSE', true],
  ['NOT NULL', null],
  ['NOT s.nothing', null],
  ['NOT 1 = 2', true],
  ['TRUE OR FALSE AND FALSE', true],
  ['(TRUE OR FALSE) AND FALSE', false],
  ['NOT s.t AND s.f', false],
]);

table('IS NULL / IS MISSING', [
  ['s.n IS NULL', true],
  ['s.a IS NULL', false],
  ['s.nothing IS NULL', true],
  ['s.n IS NOT NULL', false],
  ['s.a IS NOT NULL', true],
  ['s.nothing IS MISSING', true],
  ['s.n IS MISSING', false],
  ['s.a IS NOT MISSING', true],
  ['s.nothing IS NOT MISSING', false],
  ['MISSING IS MISSING', true],
  ['s.t IS TRUE', true],
  ['s.f IS NOT TRUE', true],
]);

table('BETWEEN and IN', [
  ['2 BETWEEN 1 AND 3', true],
  ['1 BETWEEN 1 AND 3', true],
  ['3 BETWEEN 1 AND 3', true],
  ['4 BETWEEN 1 AND 3', false],
  ['4 NOT BETWEEN 1 AND 3', true],
  ["'b' BETWEEN 'a' AND 'c'", true],
  ['NULL BETWEEN 1 AND 3', null],
  ['s.i BETWEEN s.a AND 10 AND TRUE', true],
  ['2 IN (1, 2, 3)', true],
  ['5 IN (1, 2, 3)', false],
  ['5 NOT IN (1, 2, 3)', true],
  ["s.s IN ('x', 'abc')", true],
  ["s.s IN ('x', 'y')", false],
  ['5 IN (1, NULL)', null],
  ['1 IN (1, NULL)', true],
  ['NULL IN (1, 2)', null],
  ['s.a IN (s.i, s.a)', true],
  ['2 IN [1, 2]', true],
  ["1 IN ('1', 2)", false],
]);

table('LIKE and ESCAPE', [
  ["'abc' LIKE 'abc'", true],
  ["'abc' LIKE 'ab'", false],
  ["'abc' LIKE 'a%'", true],
  ["'abc' LIKE '%c'", true],
  ["'abc' LIKE '%b%'", true],
  ["'abc' LIKE '%'", true],
  ["'' LIKE '%'", true],
  ["'' LIKE ''", true],
  ["'abc' LIKE 'a_c'", true],
  ["'abc' LIKE '_'", false],
  ["'abc' LIKE '___'", true],
  ["'abc' LIKE 'a%%c'", true],
  ["'a.c' LIKE 'a.c'", true],
  ["'abc' LIKE 'a.c'", false],
  ["'a(b)c' LIKE 'a(_)c'", true],
  ["'line1\nline2' LIKE 'line1%2'", true],
  ["'€uro' LIKE '_uro'", true],
  ["'😀x' LIKE '_x'", true],
  ["'100%' LIKE '100!%' ESCAPE '!'", true],
  ["'1000' LIKE '100!%' ESCAPE '!'", false],
  ["'a_b' LIKE 'a!_b' ESCAPE '!'", true],
  ["'axb' LIKE 'a!_b' ESCAPE '!'", false],
  ["'a!b' LIKE 'a!!b' ESCAPE '!'", true],
  ["'a%b' LIKE 'a\\%b' ESCAPE '\\'", true],
  ["'abc' NOT LIKE 'a%'", false],
  ["'xyz' NOT LIKE 'a%'", true],
  ["NULL LIKE 'a%'", null],
  ["'abc' LIKE NULL", null],
  ["s.nothing LIKE 'a'", undefined],
  ['s.s LIKE s.s', true],
  ["s.i LIKE '7'", true],
]);

table('CASE', [
  ["CASE WHEN s.a = 1 THEN 'one' WHEN s.a = 2 THEN 'two' ELSE 'many' END", 'one'],
  ["CASE WHEN s.a = 5 THEN 'five' ELSE 'other' END", 'other'],
  ["CASE WHEN s.a = 5 THEN 'five' END", null],
  ["CASE WHEN NULL THEN 'x' ELSE 'y' END", 'y'],
  ["CASE s.i WHEN 1 THEN 'one' WHEN 7 THEN 'seven' ELSE 'other' END", 'seven'],
  ["CASE s.s WHEN 'abc' THEN 1 ELSE 0 END", 1],
  ["CASE s.n WHEN NULL THEN 'null' ELSE 'not equal' END", 'not equal'],
  ["CASE s.i WHEN 8 THEN 'x' END", null],
]);

table('COALESCE and NULLIF', [
  ['COALESCE(1)', 1],
  ['COALESCE(NULL)', null],
  ['COALESCE(NULL, NULL)', null],
  ['COALESCE(MISSING)', null],
  ['COALESCE(MISSING, MISSING)', null],
  ['COALESCE(1, NULL)', 1],
  ['COALESCE(NULL, NULL, 1)', 1],
  ["COALESCE(NULL, 'string')", 'string'],
  ['COALESCE(MISSING, 1)', 1],
  ['COALESCE(s.nothing, s.n, s.s)', 'abc'],
  ['NULLIF(1, 1)', null],
  ['NULLIF(1, 2)', 1],
  ['NULLIF(1.0, 1)', null],
  ["NULLIF(1, '1')", 1],
  ['NULLIF([1], [1])', null],
  ['NULLIF(1, NULL)', 1],
  ['NULLIF(NULL, 1)', null],
  ['NULLIF(NULL, NULL)', null],
  ['NULLIF(MISSING, NULL)', null],
  ['NULLIF(MISSING, MISSING)', null],
]);

table('CAST', [
  ["CAST('42' AS INT)", 42],
  ["CAST('-42' AS INTEGER)", -42],
  ["CAST(' 42 ' AS INT)", 42],
  ["CAST('3.7' AS INT)", 3],
  ["CAST('-3.7' AS INT)", -3],
  ['CAST(3.7 AS INT)', 3],
  ['CAST(TRUE AS INT)', 1],
  ["CAST('0.456' AS FLOAT)", 0.456],
  ["CAST('1e3' AS FLOAT)", 1000],
  ['CAST(5 AS FLOAT)', 5],
  ["CAST('123.456' AS DECIMAL)", 123.456],
  ["CAST('1.5' AS DECIMAL(10, 2))", 1.5],
  ["CAST('.5' AS NUMERIC)", 0.5],
  ['CAST(42 AS STRING)', '42'],
  ['CAST(2.5 AS STRING)', '2.5'],
  ['CAST(TRUE AS STRING)', 'true'],
  ['CAST(`2007-04-05T14:30Z` AS STRING)', '2007-04-05T14:30Z'],
  ["CAST('x' AS VARCHAR(3))", 'x'],
  ["CAST('true' AS BOOL)", true],
  ["CAST('FALSE' AS BOOLEAN)", false],
  ['CAST(0 AS BOOL)', false],
  ['CAST(2 AS BOOL)', true],
  [
    "CAST('2007-04-05T14:30Z' AS TIMESTAMP)",
    {
      kind: 'timestamp',
      epochMs: Date.UTC(2007, 3, 5, 14, 30),
      nanos: 0,
      offsetMinutes: 0,
      precision: 'minute',
    },
  ],
  ['CAST(NULL AS INT)', null],
  ['CAST(s.nothing AS INT)', undefined],
  ['CAST(s.str5 AS INT) + 1', 6],
]);

describe('CAST failures are CastFailed, raised when the row is evaluated', () => {
  for (const expr of [
    "CAST('abc' AS INT)",
    "CAST('' AS INT)",
    "CAST('1x' AS FLOAT)",
    "CAST('maybe' AS BOOL)",
    "CAST('2007-13-01T' AS TIMESTAMP)",
    'CAST(5 AS TIMESTAMP)',
    'CAST(`2007T` AS INT)',
    'CAST(s.s AS DECIMAL)',
  ]) {
    it(expr, () => assertS3Error(() => evalOne(expr, R), 'CastFailed'));
  }
});

table('string functions', [
  ["CHAR_LENGTH('')", 0],
  ["CHAR_LENGTH('abcdefg')", 7],
  ["CHARACTER_LENGTH('😀é')", 2],
  ['CHAR_LENGTH(NULL)', null],
  ["LOWER('AbCdEfG!@#$')", 'abcdefg!@#$'],
  ["UPPER('AbCdEfG!@#$')", 'ABCDEFG!@#$'],
  ['UPPER(s.nothing)', undefined],
  ["SUBSTRING('123456789', 0)", '123456789'],
  ["SUBSTRING('123456789', 1)", '123456789'],
  ["SUBSTRING('123456789', 2)", '23456789'],
  ["SUBSTRING('123456789', -4)", '123456789'],
  ["SUBSTRING('123456789', 0, 999)", '123456789'],
  ["SUBSTRING('123456789', 1, 5)", '12345'],
  ["SUBSTRING('123456789', 3, 2)", '34'],
  ["SUBSTRING('123456789', 0, 3)", '12'],
  ["SUBSTRING('123456789', -2, 3)", ''],
  ["SUBSTRING('123456789', -2, 5)", '12'],
  ["SUBSTRING('123456789', 20)", ''],
  ["SUBSTRING('123456789' FROM 2)", '23456789'],
  ["SUBSTRING('123456789' FROM 2 FOR 3)", '234'],
  ["SUBSTRING('😀abc', 2, 2)", 'ab'],
  ["TRIM('       foobar         ')", 'foobar'],
  ["TRIM('      \tfoobar\t         ')", '\tfoobar\t'],
  ["TRIM(LEADING FROM '       foobar         ')", 'foobar         '],
  ["TRIM(TRAILING FROM '       foobar         ')", '       foobar'],
  ["TRIM(BOTH FROM '       foobar         ')", 'foobar'],
  ["TRIM(BOTH '12' FROM '1112211foobar22211122')", 'foobar'],
  ["TRIM(LEADING 'x' FROM 'xxaxx')", 'axx'],
  ["TRIM(TRAILING 'x' FROM 'xxaxx')", 'xxa'],
  ["TRIM('ab' FROM 'abcba')", 'c'],
  ['TRIM(NULL)', null],
]);

describe('function argument errors', () => {
  it('a string function given a number: IncorrectSqlFunctionArgumentType', () => {
    assertS3Error(() => evalOne('UPPER(s.a)', R), 'IncorrectSqlFunctionArgumentType');
  });
  it('SUBSTRING with a negative length: IllegalSqlFunctionArgument', () => {
    assertS3Error(() => evalOne("SUBSTRING('abc', 1, -1)", R), 'IllegalSqlFunctionArgument');
  });
  it('arithmetic on a JSON string: ExternalEvalException', () => {
    assertS3Error(() => evalOne('s.s + 1', R), 'ExternalEvalException');
  });
  it('an invalid LIKE escape sequence: EvaluatorLikePatternInvalidEscapeSequence', () => {
    assertS3Error(() => evalOne("s.s LIKE 'a!x' ESCAPE '!'", R), 'EvaluatorLikePatternInvalidEscapeSequence');
    assertS3Error(() => evalOne("s.s LIKE 'a!' ESCAPE '!'", R), 'EvaluatorLikePatternInvalidEscapeSequence');
    assertS3Error(() => evalOne("s.s LIKE 'a' ESCAPE '!!'", R), 'EvaluatorLikePatternInvalidEscapeSequence');
  });
  it('a LIKE pattern that is not a string: LikeInvalidInputs', () => {
    assertS3Error(() => evalOne('s.s LIKE 5', R), 'LikeInvalidInputs');
  });
  it('a CAST that would fail in a branch that never runs does not fail the query', () => {
    assert.equal(evalOne("CASE WHEN s.a = 1 THEN 'ok' ELSE CAST('x' AS INT) END", R), 'ok');
  });
});

table('JSON paths', [
  ['s.a', 1],
  ['s.A', 1],
  ['s."a"', 1],
  ['s."A"', undefined],
  ['s.name', 'up'],
  ['s."Name"', 'up'],
  ['s."name"', undefined],
  ['s.obj.x', 1],
  ['s.obj."Y Z"', 2],
  ["s.obj['Y Z']", 2],
  ['s.obj.deep.k', 'v'],
  ['s.arr[0]', 1],
  ['s.arr[2]', 3],
  ['s.arr[3]', undefined],
  ['s.obj.nothing.deeper', undefined],
  ['s.a.b', undefined],
  ['s.s[0]', undefined],
  ['S3Object.a', 1],
  ['a', 1],
  ['obj.deep.k', 'v'],
  ['_1.a', 1],
  ['s.constructor', undefined],
  ['s.toString', undefined],
]);
