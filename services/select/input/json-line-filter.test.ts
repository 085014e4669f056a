/**
 * JSON LINES records read in two passes (Projection.filterNames): WHERE sees
 * a record of its own fields, and only a line that passes it is read whole.
 * Every case must give what the query gives over JSON.parse of each line:
 * the same rows, aggregates and errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileQuery } from '../sql/index.js';
import { queryJsonLines, queryParsedLines } from './reader-test-kit.js';

const JSON_OPTS = { format: 'JSON', csvHeader: 'NONE' } as const;

describe('Projection.filterNames', () => {
  const cases: [string, string[] | undefined][] = [
    ['SELECT s.id, s.city FROM S3Object s WHERE s.score > 99.5', ['score']],
    ["SELECT SUM(s.amount) FROM S3Object s WHERE s.qty > 50 AND s.Cat = 'x'", ['qty', 'Cat']],
    ['SELECT s.a FROM S3Object[*] s WHERE s.b.c = 1', ['b']],
    ['SELECT s.a FROM S3Object s', undefined],
    ['SELECT s.a FROM S3Object s WHERE 1 = 1', undefined],
    ['SELECT s.a FROM S3Object s WHERE s IS NOT NULL', undefined],
    ['SELECT s.a FROM S3Object s WHERE s[0] = 1', undefined],
    ['SELECT x.a FROM S3Object[*].b x WHERE x.c = 1', undefined],
    ['SELECT x FROM S3Object[*].b[*] x WHERE x.c = 1', undefined],
  ];
  for (const [sql, expected] of cases) {
    it(sql, () => {
      const names = compileQuery(sql, JSON_OPTS).projection.filterNames;
      assert.deepStrictEqual(names === undefined ? undefined : [...names], expected);
    });
  }

  it('is not given for CSV', () => {
    const q = compileQuery('SELECT _1 FROM S3Object WHERE _2 = 1', { format: 'CSV', csvHeader: 'NONE' });
    assert.equal(q.projection.filterNames, undefined);
  });
});

describe('readJson LINES with WHERE read first: results equal JSON.parse records', () => {
  const cases: [string, string, string[]][] = [
    [
      'a selective projection',
      'SELECT s.id, s.city FROM S3Object s WHERE s.score > 99.5',
      [
        '{"id":1,"city":"c1","score":99.75,"note":"x"}',
        '{"id":2,"city":"c2","score":3,"note":"y"}',
        '{"id":3,"city":"c3","score":99.9,"note":"z"}',
      ],
    ],
    [
      'an aggregate of fields WHERE does not read',
      'SELECT SUM(s.amount), COUNT(s.id), MAX(s.city) FROM S3Object s WHERE s.qty > 50',
      [
        '{"id":1,"amount":2.5,"qty":60,"city":"b"}',
        '{"id":2,"amount":4,"qty":6,"city":"z"}',
        '{"id":3,"amount":1e2,"qty":51,"city":"a"}',
      ],
    ],
    [
      'a string with escapes in an output field of a matching line',
      'SELECT s.id, s.city FROM S3Object s WHERE s.score > 1',
      [
        '{"id":1,"city":"plain","score":2}',
        '{"id":2,"city":"a\\"b\\\\c\\u00e9","score":5}',
        '{"id":3,"city":"x","score":7}',
      ],
    ],
    [
      'output fields of other kinds than the first line had',
      'SELECT s.id, s.city FROM S3Object s WHERE s.score > 1',
      [
        '{"id":1,"city":"c","score":2}',
        '{"id":"2","city":7,"score":5}',
        '{"id":null,"city":[1,{"a":"b"}],"score":9}',
        '{"id":-0,"city":{"x":true},"score":3}',
      ],
    ],
    [
      'an invalid value in an output field of a line that fails WHERE',
      'SELECT s.id FROM S3Object s WHERE s.score > 50',
      ['{"id":1,"score":60}', '{"id":tru,"score":1}', '{"id":3,"score":70}'],
    ],
    [
      'an invalid line after a matching one',
      'SELECT s.id FROM S3Object s WHERE s.score > 50',
      ['{"id":1,"score":60}', '{"id":2,"score":61', '{"id":3,"score":70}'],
    ],
    [
      'an invalid line after a matching one, in the field WHERE reads',
      'SELECT s.id FROM S3Object s WHERE s.score > 50',
      ['{"id":1,"score":60}', '{"id":2,"score":01}'],
    ],
    [
      'two spellings of an output field, on a line that passes WHERE',
      'SELECT s.Id FROM S3Object s WHERE s.score > 50',
      ['{"id":1,"score":10,"ID":2}', '{"id":1,"score":60,"ID":2}'],
    ],
    [
      'two spellings of an output field, on lines that fail WHERE only',
      'SELECT s.Id FROM S3Object s WHERE s.score > 50',
      ['{"id":1,"score":10,"ID":2}', '{"id":3,"score":60}'],
    ],
    [
      'two spellings of a field WHERE reads',
      'SELECT s.id FROM S3Object s WHERE s.Score > 50',
      ['{"id":1,"score":60,"SCORE":2}'],
    ],
    [
      'a quoted name matches its spelling only',
      'SELECT s."Id" FROM S3Object s WHERE s."score" > 1',
      ['{"Id":1,"id":2,"score":5,"Score":0}', '{"id":3,"score":7}'],
    ],
    [
      'timestamp-shaped records',
      'SELECT s.epochMs, s.a FROM S3Object s WHERE s.a > 1',
      [
        '{"kind":"timestamp","epochMs":5,"nanos":0,"offsetMinutes":0,"precision":"fraction","a":2}',
        '{"kind":"timestamp","epochMs":6,"nanos":0,"offsetMinutes":0,"precision":"fraction","a":0}',
        '{"kind":"x","epochMs":7,"a":3}',
      ],
    ],
    [
      'nested output values and a nested WHERE path',
      'SELECT s.n, s.l[1] FROM S3Object s WHERE s.w.k = 1',
      [
        '{"w":{"k":1},"n":{"a":[]},"l":[1,"two"]}',
        '{"w":{"k":2},"n":1,"l":[]}',
        '{"w":{"k":1},"n":{"a":{"b":1}},"l":[0,{"c":null}]}',
      ],
    ],
    [
      'LIMIT stops after the rows it keeps',
      'SELECT s.id FROM S3Object s WHERE s.score > 1 LIMIT 2',
      ['{"id":1,"score":2}', '{"id":2,"score":0}', '{"id":3,"score":3}', '{"id":4,"score":4}', 'not json'],
    ],
    [
      'blank and CRLF lines',
      'SELECT s.id FROM S3Object s WHERE s.score > 1',
      ['{"id":1,"score":2}\r', '', '  ', '{"id":2,"score":5} \r', '{"score":3,"id":"x"}'],
    ],
  ];
  for (const [name, sql, lines] of cases) {
    it(name, async () => {
      const input = lines.join('\n') + '\n';
      assert.deepStrictEqual(await queryJsonLines(sql, input), queryParsedLines(sql, input));
    });
  }

  it('an invalid line that fails WHERE still fails the query', async () => {
    const input = '{"id":1,"score":60}\n{"id":2,"score":1,"x":nul}\n';
    assert.equal(
      await queryJsonLines('SELECT s.id FROM S3Object s WHERE s.score > 50', input),
      'JSONParsingError',
    );
  });

  it('an ambiguous output field fails only when a line passes WHERE', async () => {
    const sql = 'SELECT s.Id FROM S3Object s WHERE s.score > 50';
    assert.equal(await queryJsonLines(sql, '{"id":1,"ID":2,"score":60}\n'), 'AmbiguousFieldName');
    assert.deepStrictEqual(await queryJsonLines(sql, '{"id":1,"ID":2,"score":6}\n'), []);
  });
});
