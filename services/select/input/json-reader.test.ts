import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonInputOptions } from '../types.js';
import { chunksOf, collectJson, outcome, splitAt } from './reader-test-kit.js';

interface Case {
  name: string;
  type: JsonInputOptions['type'];
  input: string;
  records?: unknown[];
  error?: string;
}

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

const cases: Case[] = [
  {
    name: 'LINES: one value per line',
    type: 'LINES',
    input: '{"a":1}\n{"a":"x","b":[1,2]}\n',
    records: [{ a: 1 }, { a: 'x', b: [1, 2] }],
  },
  {
    name: 'LINES: blank lines, CRLF, no final newline',
    type: 'LINES',
    input: '\n{"a":1}\r\n  \r\n\n{"a":2}',
    records: [{ a: 1 }, { a: 2 }],
  },
  {
    name: 'LINES: scalars and arrays are records too',
    type: 'LINES',
    input: '1\n"s"\nnull\n[1]\n',
    records: [1, 's', null, [1]],
  },
  {
    name: 'LINES: strings with braces and escapes',
    type: 'LINES',
    input: '{"a":"}{\\"\\\\","b":"\\n"}\n',
    records: [{ a: '}{"\\', b: '\n' }],
  },
  { name: 'LINES: non-ASCII', type: 'LINES', input: '{"名":"€😀"}\n', records: [{ 名: '€😀' }] },
  {
    name: 'LINES: a value spread over lines is invalid',
    type: 'LINES',
    input: '{"a":\n1}\n',
    error: 'JSONParsingError',
  },
  {
    name: 'LINES: two values on a line are invalid',
    type: 'LINES',
    input: '{"a":1} {"a":2}\n',
    error: 'JSONParsingError',
  },
  { name: 'LINES: invalid JSON', type: 'LINES', input: '{"a":1}\n{a:1}\n', error: 'JSONParsingError' },
  {
    name: 'LINES: 256 levels deep is accepted',
    type: 'LINES',
    input: deep(256) + '\n',
    records: [JSON.parse(deep(256))],
  },
  {
    name: 'LINES: 257 levels deep is refused',
    type: 'LINES',
    input: deep(257) + '\n',
    error: 'JSONParsingError',
  },
  {
    name: 'LINES: 10000 levels deep is refused',
    type: 'LINES',
    input: deepObject(10000) + '\n',
    error: 'JSONParsingError',
  },
  {
    name: 'LINES: brackets inside strings do not count as depth',
    type: 'LINES',
    input: JSON.stringify({ s: deep(300) }) + '\n',
    records: [{ s: deep(300) }],
  },
  { name: 'DOCUMENT: one object', type: 'DOCUMENT', input: '{"a":1}', records: [{ a: 1 }] },
  {
    name: 'DOCUMENT: pretty-printed values one after another',
    type: 'DOCUMENT',
    input: '{\n  "a": 1,\n  "b": {"c": [1, 2, {"d": "}"}]}\n}\n{\n  "a": 2\n}{"a":3}\n\n',
    records: [{ a: 1, b: { c: [1, 2, { d: '}' }] } }, { a: 2 }, { a: 3 }],
  },
  {
    name: 'DOCUMENT: one value per line',
    type: 'DOCUMENT',
    input: '{"a":1}\n{"a":2}\r\n{"a":3}',
    records: [{ a: 1 }, { a: 2 }, { a: 3 }],
  },
  {
    name: 'DOCUMENT: two objects on one line',
    type: 'DOCUMENT',
    input: '{"a":1} {"a":"}"}\n',
    records: [{ a: 1 }, { a: '}' }],
  },
  {
    name: 'DOCUMENT: a top-level array is one record',
    type: 'DOCUMENT',
    input: '[{"a":1},\n {"a":2}]',
    records: [[{ a: 1 }, { a: 2 }]],
  },
  {
    name: 'DOCUMENT: top-level scalars',
    type: 'DOCUMENT',
    input: '1 "two" true null 2.5e3',
    records: [1, 'two', true, null, 2500],
  },
  {
    name: 'DOCUMENT: escaped quotes and backslashes',
    type: 'DOCUMENT',
    input: '{"a":"\\\\"}{"b":"\\"}\\\\"}',
    records: [{ a: '\\' }, { b: '"}\\' }],
  },
  {
    name: 'DOCUMENT: 256 levels deep is accepted',
    type: 'DOCUMENT',
    input: deep(256),
    records: [JSON.parse(deep(256))],
  },
  {
    name: 'DOCUMENT: 257 levels deep is refused',
    type: 'DOCUMENT',
    input: deep(257),
    error: 'JSONParsingError',
  },
  {
    name: 'DOCUMENT: 100000 levels deep is refused',
    type: 'DOCUMENT',
    input: deepObject(100000),
    error: 'JSONParsingError',
  },
  {
    name: 'DOCUMENT: an unterminated object',
    type: 'DOCUMENT',
    input: '{"a":1}\n{"a":',
    error: 'JSONParsingError',
  },
  { name: 'DOCUMENT: an unterminated string', type: 'DOCUMENT', input: '{"a":"x', error: 'JSONParsingError' },
  {
    name: 'DOCUMENT: a comma between values',
    type: 'DOCUMENT',
    input: '{"a":1},{"a":2}',
    error: 'JSONParsingError',
  },
  {
    name: 'DOCUMENT: a stray closing bracket',
    type: 'DOCUMENT',
    input: '{"a":1}}',
    error: 'JSONParsingError',
  },
  { name: 'DOCUMENT: mismatched brackets', type: 'DOCUMENT', input: '{"a":[1}]', error: 'JSONParsingError' },
  { name: 'DOCUMENT: a bad scalar', type: 'DOCUMENT', input: '{"a":1} nope', error: 'JSONParsingError' },
  { name: 'empty input', type: 'DOCUMENT', input: '', records: [] },
  { name: 'whitespace only', type: 'LINES', input: ' \n\n', records: [] },
];

function* splits(input: string): Generator<[string, () => AsyncIterable<Buffer>]> {
  yield ['one chunk', () => chunksOf(input, 1 << 22)];
  if (input.length > 2000) return;
  yield ['1-byte chunks', () => chunksOf(input, 1)];
  for (let cut = 1; cut < Buffer.byteLength(input); cut++) yield [`cut at ${cut}`, () => splitAt(input, cut)];
}

describe('readJson', () => {
  for (const c of cases) {
    it(c.name, async () => {
      for (const [how, input] of splits(c.input)) {
        if (c.error !== undefined) {
          assert.equal(await outcome(collectJson(input(), c.type)), c.error, how);
        } else {
          assert.deepEqual((await collectJson(input(), c.type)).records, c.records, how);
        }
      }
    });
  }
});

describe('readJson: limits', () => {
  for (const type of ['LINES', 'DOCUMENT'] as const) {
    it(`${type}: a 2 MB record fails after about 1 MB, with bounded memory`, async () => {
      let pulled = 0;
      async function* input() {
        yield Buffer.from('{"a":"');
        const chunk = Buffer.alloc(64 * 1024, 'x');
        while (pulled < 2 * 1024 * 1024) {
          pulled += chunk.length;
          yield chunk;
        }
        yield Buffer.from('"}\n');
      }
      assert.equal(await outcome(collectJson(input(), type)), 'OverMaxRecordSize');
      assert.ok(pulled <= 1024 * 1024 + 2 * 64 * 1024, `pulled ${pulled}`);
    });
    it(`${type}: stops pulling when the sink says stop`, async () => {
      let pulled = 0;
      async function* input() {
        for (let i = 0; i < 1000; i++) {
          pulled++;
          yield Buffer.from(`{"i":${i}}\n`);
        }
      }
      const r = await collectJson(input(), type, { limit: 2 });
      assert.deepEqual(r.records, [{ i: 0 }, { i: 1 }]);
      assert.ok(pulled <= 3, `pulled ${pulled}`);
    });
    it(`${type}: counts bytes processed`, async () => {
      const data = '{"a":"é"}\n{"a":2}\n';
      const r = await collectJson(chunksOf(data, 3), type);
      assert.equal(r.counters.bytesProcessed, Buffer.byteLength(data));
    });
  }
});
