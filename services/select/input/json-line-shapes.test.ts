import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SelectValue } from '../types.js';
import { JsonLineShapes } from './json-line-shapes.js';
import { queryJsonLines, queryParsedLines } from './reader-test-kit.js';
import { xorshift32 } from '../../../test/helpers/seeded-random.js';

const TIMESTAMP_KEYS = new Set(['kind', 'epochMs', 'nanos', 'offsetMinutes', 'precision']);

/** What the engine can read of JSON.parse's record: the keys a lazy record must hold, and their values. */
function picked(parsed: Record<string, SelectValue>, names: readonly string[]): Record<string, SelectValue> {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const out: Record<string, SelectValue> = {};
  for (const key of Object.keys(parsed)) {
    if (wanted.has(key.toLowerCase()) || TIMESTAMP_KEYS.has(key)) {
      Object.defineProperty(out, key, {
        value: parsed[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out;
}

/**
 * Checks one line against JSON.parse; true when the lazy path took it. With
 * `filterNames`, the record holds just those and complete() the rest.
 */
function check(
  shapes: JsonLineShapes,
  line: string,
  names: readonly string[],
  filterNames?: readonly string[],
): boolean {
  // Cut the line out of a longer text, as the reader does.
  const text = `{"pad":0}\n${line}\n{"pad":1}`;
  const from = 10;
  const to = from + line.length;
  // As the reader does: the shape of the line before, else learn this line's.
  let record = shapes.next(text, from);
  if (record !== undefined) assert.equal(shapes.end, to, `next() ended elsewhere: ${line}`);
  else record = shapes.learn(text, from, to);
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    assert.equal(record, undefined, `invalid line taken: ${line}`);
    return false;
  }
  if (record === undefined) return false;
  assert.ok(
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed),
    `non-object taken: ${line}`,
  );
  const object = parsed as Record<string, SelectValue>;
  if (filterNames === undefined) {
    assert.equal(shapes.complete, undefined);
    assert.deepStrictEqual(record, picked(object, names), line);
  } else {
    assert.deepStrictEqual(record, picked(object, filterNames), `filter record of ${line}`);
    assert.deepStrictEqual(shapes.complete!(), picked(object, names), `whole record of ${line}`);
  }
  return true;
}

const KEYS = ['a', 'A', 'b', 'qty', 'Qty', 'kind', 'epochMs', '__proto__', 'a-b', 'x y', '1', 'é', 'k\\"q'];
const SCALARS = [
  '0',
  '-0',
  '-0.0',
  '1',
  '-17',
  '3.25',
  '99.534',
  '1e3',
  '1E-2',
  '-2.5e+10',
  '123456789012345678901',
  '0.1',
  '1.7976931348623157e308',
  '1e400',
  '5e-324',
  '123456789012.345',
  '9007199254740993',
  'true',
  'false',
  'null',
  '""',
  '"x"',
  '"qty"',
  '"a:b"',
  '" : "',
  '"\\u00e9\\n"',
  '"\\ud83d"',
  '"€😀"',
  '{}',
  '[]',
  '{"a":1}',
  '[1,{"qty":2}]',
  '{"A":{"a":[]}}',
  '[1,"x"]',
  '{"qty":"}"}',
  '{"a":"]","b":[]}',
];
const BROKEN = [
  '01',
  '1.',
  '.5',
  '-',
  '+1',
  '1e',
  'tru',
  'nul',
  '"\t"',
  '"\\x"',
  '"',
  '[1,]',
  '{"a"}',
  'NaN',
];

function randomLine(rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const ws = () => pick(['', '', '', ' ', '\t', ' \r', '  ']);
  const members = Math.floor(rnd() * 6);
  const parts: string[] = [];
  for (let i = 0; i < members; i++) {
    const value = rnd() < 0.03 ? pick(BROKEN) : pick(SCALARS);
    parts.push(`${ws()}"${pick(KEYS)}"${ws()}:${ws()}${value}${ws()}`);
  }
  let line = `${ws()}{${parts.join(',')}${members === 0 ? ws() : ''}}${ws()}`;
  if (rnd() < 0.05) {
    // A mutation anywhere in the line: most make it invalid.
    const at = Math.floor(rnd() * line.length);
    line = line.slice(0, at) + pick(['', ',', '"', '}', 'x', '\u0001', '[']) + line.slice(at + 1);
  }
  return line;
}

describe('JsonLineShapes: lazy records equal what the engine reads of JSON.parse', () => {
  const cases: [string, string, string[]][] = [
    ['flat line', '{"a":1,"b":"x","c":true}', ['a', 'b']],
    ['no wanted name present', '{"c":1}', ['a']],
    ['empty object', '{}', ['a']],
    ['whitespace and CR', ' \t{ "a" : 1 ,\t"b":null } \r', ['a', 'b']],
    [
      'numbers as JSON.parse gives them',
      '{"a":-0,"b":123456789012345678901,"c":1.5e-7,"d":0.1}',
      ['a', 'b', 'c', 'd'],
    ],
    ['case variants are all kept', '{"qty":1,"QTY":2,"x":3}', ['Qty']],
    ['timestamp-shaped records keep those keys', '{"kind":"timestamp","epochMs":1,"nanos":0,"a":2}', ['a']],
    ['a value that reads like a wanted key', '{"b":"a","a":"b"}', ['a']],
    ['nested values one level deep', '{"a":[1,"x",null],"b":{"c":"}{[","d":-0}}', ['a', 'b']],
    ['a nested key is not a top-level one', '{"b":{"qty":2},"c":["qty"],"a":1}', ['qty', 'a']],
  ];
  for (const [name, line, names] of cases) {
    it(name, () => {
      assert.equal(check(new JsonLineShapes(new Set(names)), line, names), true);
    });
  }

  const declined: [string, string][] = [
    ['escapes', '{"a":"x\\ny"}'],
    ['non-ASCII', '{"a":"é"}'],
    ['nesting two levels deep', '{"a":{"b":{"c":1}}}'],
    ['an array in an array', '{"a":[[1]]}'],
    ['an array', '[{"a":1}]'],
    ['duplicate keys', '{"a":1,"a":2}'],
    ['a wanted __proto__ key', '{"__proto__":1}'],
    ['invalid JSON after the wanted field', '{"a":1,"b":01}'],
    ['a control character in a string', '{"a":1,"b":"\u0001"}'],
    ['trailing text', '{"a":1} x'],
  ];
  for (const [name, line] of declined) {
    it(`declines ${name} (JSON.parse decides)`, () => {
      const names = ['a', '__proto__'];
      assert.equal(check(new JsonLineShapes(new Set(names)), line, names), false);
    });
  }

  it('fuzz: numbers of every length and scale read as JSON.parse reads them', () => {
    const rnd = xorshift32(9);
    const shapes = new JsonLineShapes(new Set(['n']));
    for (let i = 0; i < 20000; i++) {
      const digits = 1 + Math.floor(rnd() * 19);
      let int = String(1 + Math.floor(rnd() * 9));
      for (let d = 1; d < digits; d++) int += String(Math.floor(rnd() * 10));
      const cut = Math.floor(rnd() * digits);
      let num = cut === 0 ? int : `${int.slice(0, cut)}.${int.slice(cut)}`;
      if (rnd() < 0.1) num = `0.${'0'.repeat(Math.floor(rnd() * 5))}${int}`;
      if (rnd() < 0.1) num += `e${Math.floor(rnd() * 40) - 20}`;
      if (rnd() < 0.5) num = `-${num}`;
      assert.equal(check(shapes, `{"n":${num}}`, ['n']), true, num);
    }
  });

  it('values of another kind than the learnt line had still read as JSON.parse reads them', () => {
    // A shape tries the kind of value its first line had first; any other still matches.
    const shapes = new JsonLineShapes(new Set(['a', 'b', 'c']));
    const values = ['1', '"x"', '""', 'null', 'true', '[1,"y"]', '{"k":"v"}', '-2.5e3', '"1"'];
    for (const a of values) {
      for (const b of values) {
        const line = `{"a":${a},"b":${b},"c":${b},"d":${a}}`;
        assert.equal(check(shapes, line, ['a', 'b', 'c']), true, line);
      }
    }
  });

  it('filter names: the record holds them, complete() gives every wanted name', () => {
    const names = ['id', 'city', 'score'];
    const shapes = new JsonLineShapes(new Set(names), new Set(['Score']));
    const lines = [
      '{"id":1,"city":"c1","score":99.75,"note":"x"}',
      '{"id":2,"city":"c2","score":1,"note":"y"}',
      '{"id":"3","city":null,"score":"s","note":[1]}',
      '{"ID":4,"id":5,"SCORE":6,"score":7}',
      '{"score":8}',
      '{"kind":"timestamp","epochMs":0,"score":1,"id":2}',
    ];
    for (const line of lines) assert.equal(check(shapes, line, names, ['score']), true, line);
  });

  it('filter names that are all the names: one pass, no complete()', () => {
    const shapes = new JsonLineShapes(new Set(['a', 'B']), new Set(['A', 'b']));
    assert.equal(check(shapes, '{"a":1,"b":2}', ['a', 'b']), true);
  });

  it('fuzz: random and mutated lines, several name sets, shapes learnt and switched', () => {
    const rnd = xorshift32(4);
    const nameSets = [['a'], ['qty', 'b'], ['A', 'kind'], [], ['1', 'x y', 'é']];
    for (const names of nameSets) {
      const shapes = new JsonLineShapes(new Set(names));
      let taken = 0;
      for (let i = 0; i < 3000; i++) if (check(shapes, randomLine(rnd), names)) taken++;
      assert.ok(taken > 100, `the lazy path took ${taken} lines for ${names.join(',')}`);
    }
  });

  it('fuzz: filter names, random and mutated lines', () => {
    const rnd = xorshift32(5);
    const sets: [string[], string[]][] = [
      [['a', 'qty', 'b'], ['a']],
      [['A', 'kind', 'x y'], ['kind']],
      [
        ['1', 'é', 'qty'],
        ['QTY', '1'],
      ],
    ];
    for (const [names, filter] of sets) {
      const shapes = new JsonLineShapes(new Set(names), new Set(filter));
      let taken = 0;
      for (let i = 0; i < 3000; i++) if (check(shapes, randomLine(rnd), names, filter)) taken++;
      assert.ok(taken > 100, `the lazy path took ${taken} lines for ${names.join(',')}`);
    }
  });
});

describe('readJson LINES with a lazy projection: query results equal JSON.parse records', () => {
  const lines = [
    '{"id":1,"cat":"books","qty":60,"score":99.75}',
    '{"id":2,"cat":"games","qty":70,"score":-0}',
    '{"id":3,"cat":"books","qty":10,"score":1e2}',
    '{"id":4,"cat":"books","qty":55}',
    '{"id":5,"cat":"b\\u006foks","qty":51,"score":null}',
    '{"id":6,"cat":"books","qty":{"n":1},"score":1}',
    '{"id":7,"Cat":"books","qty":52,"score":2}',
  ];
  const queries = [
    "SELECT COUNT(*) FROM S3Object s WHERE s.qty > 50 AND s.cat = 'books'",
    'SELECT s.id, s.score FROM S3Object s WHERE s.score IS NOT MISSING',
    'SELECT SUM(s.score), AVG(s.id) FROM S3Object s',
    'SELECT s."cat" FROM S3Object s',
  ];

  for (const sql of queries) {
    it(sql, async () => {
      const input = lines.join('\n') + '\n';
      assert.deepStrictEqual(await queryJsonLines(sql, input), queryParsedLines(sql, input));
    });
  }

  it('an invalid line fails the query even when the wanted fields come first', async () => {
    const input = '{"qty":60,"cat":"books"}\n{"qty":60,"cat":"books","x":tru}\n';
    assert.equal(await queryJsonLines(queries[0]!, input), 'JSONParsingError');
  });

  it('two spellings of a wanted key are ambiguous, as with JSON.parse', async () => {
    const input = '{"qty":60,"QTY":1}\n';
    const sql = 'SELECT s.Qty FROM S3Object s';
    assert.deepStrictEqual(await queryJsonLines(sql, input), queryParsedLines(sql, input));
    assert.equal(typeof (await queryJsonLines(sql, input)), 'string');
  });
});
