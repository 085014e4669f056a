import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SelectTimestamp, SelectValue } from '../types.js';
import { formatValue } from './index.js';
import { assertS3Error, evalOne } from './test-support.js';

/** Evaluates an expression and writes it as CSV output would. */
function text(expr: string): string {
  return formatValue(evalOne(expr));
}

function table(title: string, cases: readonly (readonly [string, string | number])[]): void {
  describe(title, () => {
    for (const [expr, expected] of cases) {
      it(`${expr} → ${expected}`, () => {
        if (typeof expected === 'number') assert.equal(evalOne(expr), expected);
        else assert.equal(text(expr), expected);
      });
    }
  });
}

// The examples of the S3 Select date functions reference, and more.
table('TO_TIMESTAMP reads the ISO 8601 forms S3 accepts, and keeps their precision', [
  ["TO_TIMESTAMP('2007T')", '2007T'],
  ["TO_TIMESTAMP('2007-02T')", '2007-02T'],
  ["TO_TIMESTAMP('2007-02-23T')", '2007-02-23T'],
  ["TO_TIMESTAMP('2007-02-23')", '2007-02-23T'],
  ["TO_TIMESTAMP('2007-02-23T12:14Z')", '2007-02-23T12:14Z'],
  ["TO_TIMESTAMP('2007-02-23T12:14:33Z')", '2007-02-23T12:14:33Z'],
  ["TO_TIMESTAMP('2007-02-23T12:14:33.079-08:00')", '2007-02-23T12:14:33.079-08:00'],
  ["TO_TIMESTAMP('2007-02-23T12:14:33.0791234+01:30')", '2007-02-23T12:14:33.0791234+01:30'],
  ["TO_TIMESTAMP('2007-02-23T12:14')", '2007-02-23T12:14Z'],
  ["TO_TIMESTAMP('0001-01-01T')", '0001-01-01T'],
  ['TO_TIMESTAMP(`2007-02-23T12:14Z`)', '2007-02-23T12:14Z'],
]);

describe('TO_TIMESTAMP: the instant', () => {
  it('2007-02-23T12:14:33.079-08:00 is 20:14:33.079 UTC', () => {
    const ts = evalOne("TO_TIMESTAMP('2007-02-23T12:14:33.079-08:00')") as SelectTimestamp;
    assert.deepEqual(ts, {
      kind: 'timestamp',
      epochMs: Date.UTC(2007, 1, 23, 20, 14, 33, 79),
      nanos: 0,
      offsetMinutes: -480,
      precision: 'fraction',
    });
  });
  it('2007T is the start of 2007 UTC', () => {
    assert.equal((evalOne("TO_TIMESTAMP('2007T')") as SelectTimestamp).epochMs, Date.UTC(2007, 0, 1));
  });
  it('text that is not a timestamp: ValueParseFailure', () => {
    for (const bad of [
      '2007',
      '2007-02-30T',
      '2007-02-23T25:00Z',
      'abc',
      '2007-2-3T',
      '2007-02-23T12:14+25:00',
      '',
    ]) {
      assertS3Error(() => evalOne(`TO_TIMESTAMP('${bad}')`), 'ValueParseFailure');
    }
  });
  it('NULL and MISSING pass through', () => {
    assert.equal(evalOne('TO_TIMESTAMP(NULL)'), null);
    assert.equal(evalOne('TO_TIMESTAMP(s.nothing)'), undefined);
  });
});

table('DATE_ADD', [
  ['DATE_ADD(year, 5, `2010-01-01T`)', '2015-01-01T'],
  ['DATE_ADD(month, 1, `2010T`)', '2010-02T'],
  ['DATE_ADD(month, 13, `2010T`)', '2011-02T'],
  ['DATE_ADD(day, -1, `2017-01-10T`)', '2017-01-09T'],
  ['DATE_ADD(hour, 1, `2017T`)', '2017-01-01T01:00Z'],
  ['DATE_ADD(hour, 1, `2017-01-02T03:04Z`)', '2017-01-02T04:04Z'],
  ['DATE_ADD(minute, 1, `2017-01-02T03:04:05.006Z`)', '2017-01-02T03:05:05.006Z'],
  ['DATE_ADD(second, 1, `2017-01-02T03:04:05.006Z`)', '2017-01-02T03:04:06.006Z'],
  ['DATE_ADD(second, 1, `2017-01-02T03:04Z`)', '2017-01-02T03:04:01Z'],
  ['DATE_ADD(month, 1, `2011-01-31T`)', '2011-02-28T'],
  ['DATE_ADD(year, 1, `2012-02-29T`)', '2013-02-28T'],
  ['DATE_ADD(month, -2, `2012-01-15T`)', '2011-11-15T'],
  ['DATE_ADD(hour, 2, `2017-01-02T23:30+05:00`)', '2017-01-03T01:30+05:00'],
  ["DATE_ADD(day, 1, '2017-01-02T')", '2017-01-03T'],
]);

table('DATE_DIFF', [
  ['DATE_DIFF(year, `2010-01-01T`, `2011-01-01T`)', 1],
  // The reference prints 4 here, which is the difference in months.
  ['DATE_DIFF(year, `2010T`, `2010-05T`)', 0],
  ['DATE_DIFF(month, `2010T`, `2010-05T`)', 4],
  ['DATE_DIFF(month, `2010T`, `2011T`)', 12],
  ['DATE_DIFF(month, `2011T`, `2010T`)', -12],
  ['DATE_DIFF(day, `2010-01-01T23:00Z`, `2010-01-02T01:00Z`)', 0],
  ['DATE_DIFF(day, `2010-01-01T`, `2010-03-01T`)', 59],
  ['DATE_DIFF(month, `2010-01-31T`, `2010-02-28T`)', 0],
  ['DATE_DIFF(month, `2010-01-15T`, `2010-02-15T`)', 1],
  ['DATE_DIFF(year, `2010-06-01T`, `2012-05-31T`)', 1],
  ['DATE_DIFF(hour, `2010-01-01T00:00Z`, `2010-01-01T05:59Z`)', 5],
  ['DATE_DIFF(minute, `2010-01-01T00:00Z`, `2009-12-31T23:00Z`)', -60],
  ['DATE_DIFF(second, `2010-01-01T00:00:00Z`, `2010-01-01T00:01:30.5Z`)', 90],
  ['DATE_DIFF(hour, `2010-01-01T00:00+02:00`, `2010-01-01T00:00Z`)', 2],
]);

table('EXTRACT', [
  ['EXTRACT(YEAR FROM `2010-01-01T`)', 2010],
  ['EXTRACT(MONTH FROM `2010T`)', 1],
  ['EXTRACT(MONTH FROM `2010-10T`)', 10],
  ['EXTRACT(DAY FROM `2010-10-05T`)', 5],
  ['EXTRACT(HOUR FROM `2017-01-02T03:04:05+07:08`)', 3],
  ['EXTRACT(MINUTE FROM `2017-01-02T03:04:05+07:08`)', 4],
  ['EXTRACT(SECOND FROM `2017-01-02T03:04:05+07:08`)', 5],
  ['EXTRACT(SECOND FROM `2017-01-02T03:04:05.5Z`)', 5.5],
  ['EXTRACT(TIMEZONE_HOUR FROM `2017-01-02T03:04:05+07:08`)', 7],
  ['EXTRACT(TIMEZONE_MINUTE FROM `2017-01-02T03:04:05+07:08`)', 8],
  ['EXTRACT(TIMEZONE_HOUR FROM `2017-01-02T03:04:05-08:30`)', -8],
  ['EXTRACT(TIMEZONE_MINUTE FROM `2017-01-02T03:04:05-08:30`)', -30],
  ["EXTRACT(YEAR FROM TO_TIMESTAMP('1999-12-31T23:59:59Z'))", 1999],
]);

table('TO_STRING', [
  ["TO_STRING(`1969-07-20T20:18Z`, 'MMMM d, y')", 'July 20, 1969'],
  ["TO_STRING(`1969-07-20T20:18Z`, 'MMM d, yyyy')", 'Jul 20, 1969'],
  ["TO_STRING(`1969-07-20T20:18Z`, 'M-d-yy')", '7-20-69'],
  ["TO_STRING(`1969-07-20T20:18Z`, 'MM-d-y')", '07-20-1969'],
  ["TO_STRING(`1969-07-20T20:18Z`, 'MMMM d, y h:m a')", 'July 20, 1969 8:18 PM'],
  ["TO_STRING(`1969-07-20T20:18Z`, 'y-MM-dd''T''H:m:ssX')", '1969-07-20T20:18:00Z'],
  ["TO_STRING(`1969-07-20T20:18+08:00`, 'y-MM-dd''T''H:m:ssXXXX')", '1969-07-20T20:18:00+0800'],
  ["TO_STRING(`1969-07-20T20:18+08:00`, 'y-MM-dd''T''H:m:ssXXXXX')", '1969-07-20T20:18:00+08:00'],
  ["TO_STRING(`1969-07-20T20:18+08:00`, 'X')", '+08'],
  ["TO_STRING(`1969-07-20T20:18+05:30`, 'X')", '+0530'],
  ["TO_STRING(`1969-07-20T20:18Z`, 'x xx xxx')", '+00 +0000 +00:00'],
  ["TO_STRING(`1969-07-20T00:05Z`, 'hh:mm a, HH')", '12:05 AM, 00'],
  ["TO_STRING(`1969-07-20T20:18Z`, 'MMMMM dd')", 'J 20'],
  ["TO_STRING(`2017-01-02T03:04:05.006Z`, 'ss.SSS S SSSSSS')", '05.006 0 006000'],
  ["TO_STRING(`2017-01-02T03:04:05.006Z`, 'n')", '6000000'],
  ["TO_STRING(`2017-01-02T03:04:05Z`, 'y/M/d ''at'' H''h''')", '2017/1/2 at 3h'],
  ["TO_STRING(`2017-01-02T03:04:05Z`, 'd'''' M')", "2' 1"],
]);

describe('TO_STRING pattern errors', () => {
  it('an unknown symbol: EvaluatorInvalidTimestampFormatPatternSymbol', () => {
    assertS3Error(
      () => evalOne("TO_STRING(`2017T`, 'yyyy q')"),
      'EvaluatorInvalidTimestampFormatPatternSymbol',
    );
  });
  it('too many letters: EvaluatorInvalidTimestampFormatPatternToken', () => {
    assertS3Error(
      () => evalOne("TO_STRING(`2017T`, 'MMMMMM')"),
      'EvaluatorInvalidTimestampFormatPatternToken',
    );
  });
  it('unterminated quoted text: EvaluatorUnterminatedTimestampFormatPatternToken', () => {
    assertS3Error(
      () => evalOne("TO_STRING(`2017T`, 'yyyy ''at')"),
      'EvaluatorUnterminatedTimestampFormatPatternToken',
    );
  });
  it('a non-timestamp argument: IncorrectSqlFunctionArgumentType', () => {
    assertS3Error(() => evalOne("TO_STRING(5, 'y')"), 'IncorrectSqlFunctionArgumentType');
  });
});

describe('UTCNOW', () => {
  it('is the current instant in UTC, with fraction precision', () => {
    const before = Date.now();
    const now = evalOne('UTCNOW()') as SelectTimestamp;
    const after = Date.now();
    assert.equal(now.kind, 'timestamp');
    assert.equal(now.offsetMinutes, 0);
    assert.equal(now.precision, 'fraction');
    assert.ok(now.epochMs >= before && now.epochMs <= after);
    assert.match(formatValue(now as SelectValue), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
  it('is one instant for the whole query', () => {
    assert.equal(evalOne('UTCNOW() = UTCNOW()'), true);
  });
});
