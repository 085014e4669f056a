import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outcome } from '../input/reader-test-kit.js';
import type { OutputRow } from '../types.js';
import { createJsonWriter } from './json-writer.js';

const write = (recordDelimiter: string, ...rows: OutputRow[]) => {
  const w = createJsonWriter({ recordDelimiter });
  for (const r of rows) w.write(r);
  return w.take().toString('utf8');
};

describe('JSON writer', () => {
  const cases: { name: string; rows: OutputRow[]; rd?: string; out: string }[] = [
    {
      name: 'one object per row',
      rows: [
        { names: ['a', 'b'], values: [1, 'x'] },
        { names: ['a', 'b'], values: [2, 'y'] },
      ],
      out: '{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n',
    },
    {
      name: 'MISSING is left out, NULL is null',
      rows: [{ names: ['a', 'b', 'c'], values: [undefined, null, true] }],
      out: '{"b":null,"c":true}\n',
    },
    { name: 'nothing but MISSING', rows: [{ names: ['a'], values: [undefined] }], out: '{}\n' },
    {
      name: 'nested values',
      rows: [{ names: ['o'], values: [{ x: [1, { y: 'z' }], e: [] }] }],
      out: '{"o":{"x":[1,{"y":"z"}],"e":[]}}\n',
    },
    {
      name: 'repeated names are kept',
      rows: [{ names: ['a', 'a'], values: [1, 2] }],
      out: '{"a":1,"a":2}\n',
    },
    {
      name: 'names and strings are escaped',
      rows: [{ names: ['k"\n'], values: ['v\\"\u0001'] }],
      out: '{"k\\"\\n":"v\\\\\\"\\u0001"}\n',
    },
    {
      name: 'custom record delimiter',
      rows: [
        { names: ['a'], values: [1] },
        { names: ['a'], values: [2] },
      ],
      rd: ',',
      out: '{"a":1},{"a":2},',
    },
    {
      name: 'BigInt keeps every digit',
      rows: [{ names: ['a', 'b'], values: [2n ** 64n, [1n, { c: -3n }]] }],
      out: '{"a":18446744073709551616,"b":[1,{"c":-3}]}\n',
    },
    { name: 'multi-byte text', rows: [{ names: ['é'], values: ['😀'] }], out: '{"é":"😀"}\n' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(write(c.rd ?? '\n', ...c.rows), c.out);
    });
  }
  it('pending and take', () => {
    const w = createJsonWriter({ recordDelimiter: '\n' });
    w.write({ names: ['a'], values: [1] });
    assert.equal(w.pending, 8);
    assert.deepEqual(w.take(), Buffer.from('{"a":1}\n'));
    assert.equal(w.pending, 0);
  });
  it('an output record over 1 MB is OverMaxRecordSize', async () => {
    const w = createJsonWriter({ recordDelimiter: '\n' });
    const r = (async () => w.write({ names: ['a'], values: ['x'.repeat(1024 * 1024)] }))();
    assert.equal(await outcome(r), 'OverMaxRecordSize');
  });
});
