import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SelectTimestamp, SelectValue } from '../types.js';
import { formatValue, toJsonValue } from './index.js';

const ts = (
  epochMs: number,
  offsetMinutes: number,
  precision: SelectTimestamp['precision'],
  nanos = 0,
): SelectTimestamp => ({
  kind: 'timestamp',
  epochMs,
  nanos,
  offsetMinutes,
  precision,
});

const CSV_CASES: [SelectValue, string][] = [
  [undefined, ''],
  [null, ''],
  ['', ''],
  ['a,b "c"', 'a,b "c"'],
  [0, '0'],
  [-0, '0'],
  [42, '42'],
  [-7, '-7'],
  [2.5, '2.5'],
  [0.1 + 0.2, '0.30000000000000004'],
  [80.5, '80.5'],
  [1e21, '1e+21'],
  [Number.NaN, 'NaN'],
  [9007199254740993n, '9007199254740993'],
  [true, 'true'],
  [false, 'false'],
  [ts(Date.UTC(2007, 0, 1), 0, 'year'), '2007T'],
  [ts(Date.UTC(2007, 1, 1), 0, 'month'), '2007-02T'],
  [ts(Date.UTC(2007, 1, 23), 0, 'day'), '2007-02-23T'],
  [ts(Date.UTC(2007, 1, 23, 12, 14), 0, 'minute'), '2007-02-23T12:14Z'],
  [ts(Date.UTC(2007, 1, 23, 20, 14, 33), -480, 'second'), '2007-02-23T12:14:33-08:00'],
  [ts(Date.UTC(2007, 1, 23, 20, 14, 33, 79), -480, 'fraction'), '2007-02-23T12:14:33.079-08:00'],
  [ts(Date.UTC(2007, 1, 23, 6, 44, 33, 79), 330, 'fraction', 500), '2007-02-23T12:14:33.0790005+05:30'],
  [[1, 'a', null], '[1,"a",null]'],
  [{ a: 1, b: { c: [true] }, m: undefined }, '{"a":1,"b":{"c":[true]}}'],
];

describe('formatValue: values as CSV output writes them', () => {
  for (const [v, expected] of CSV_CASES) {
    it(`${String(typeof v === 'object' ? JSON.stringify(v) : v)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(formatValue(v), expected);
    });
  }
});

describe('toJsonValue: values for JSON output', () => {
  it('keeps numbers, strings, booleans and NULL', () => {
    for (const v of [0, 2.5, 'x', true, null] as SelectValue[]) assert.equal(toJsonValue(v), v);
  });
  it('MISSING is undefined (left out), also inside structs; inside lists it is null', () => {
    assert.equal(toJsonValue(undefined), undefined);
    assert.equal(JSON.stringify(toJsonValue({ a: 1, b: undefined })), '{"a":1}');
    assert.equal(JSON.stringify(toJsonValue([1, undefined])), '[1,null]');
  });
  it('timestamps are strings in their text form, nested too', () => {
    const t = ts(Date.UTC(2007, 1, 23, 12, 14), 0, 'minute');
    assert.equal(toJsonValue(t), '2007-02-23T12:14Z');
    assert.deepEqual(toJsonValue({ when: t, list: [t] }), {
      when: '2007-02-23T12:14Z',
      list: ['2007-02-23T12:14Z'],
    });
  });
  it('bigints within 2^53 become numbers; larger ones stay bigint', () => {
    assert.equal(toJsonValue(42n), 42);
    assert.equal(toJsonValue(9007199254740993n), 9007199254740993n);
  });
  it('non-finite numbers become null (JSON has no NaN)', () => {
    assert.equal(toJsonValue(Number.POSITIVE_INFINITY), null);
  });
});
