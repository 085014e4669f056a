import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectCsv, chunksOf, outcome } from '../input/reader-test-kit.js';
import type { CsvOutputOptions, SelectValue } from '../types.js';
import { createCsvWriter } from './csv-writer.js';

const DEFAULTS: CsvOutputOptions = {
  quoteFields: 'ASNEEDED',
  fieldDelimiter: ',',
  recordDelimiter: '\n',
  quoteCharacter: '"',
  quoteEscapeCharacter: '"',
};

const write = (opts: Partial<CsvOutputOptions>, ...rows: SelectValue[][]) => {
  const w = createCsvWriter({ ...DEFAULTS, ...opts });
  for (const values of rows) w.write({ names: values.map((_, i) => `_${i + 1}`), values });
  return w.take().toString('utf8');
};

describe('CSV writer: quoting', () => {
  const cases: { name: string; opts: Partial<CsvOutputOptions>; row: SelectValue[]; out: string }[] = [
    { name: 'plain values are not quoted', opts: {}, row: ['a', 42, ' sp ', ''], out: 'a,42, sp ,\n' },
    { name: 'NULL and MISSING are empty', opts: {}, row: [null, undefined, 'x'], out: ',,x\n' },
    { name: 'a field delimiter forces quotes', opts: {}, row: ['b,c'], out: '"b,c"\n' },
    { name: 'a quote is doubled', opts: {}, row: ['say "hi"'], out: '"say ""hi"""\n' },
    { name: 'LF and CR force quotes', opts: {}, row: ['a\nb', 'c\rd'], out: '"a\nb","c\rd"\n' },
    {
      name: 'ALWAYS quotes everything',
      opts: { quoteFields: 'ALWAYS' },
      row: ['a', null, 7],
      out: '"a","","7"\n',
    },
    {
      name: 'custom delimiters',
      opts: { fieldDelimiter: '|', recordDelimiter: '\r\n' },
      row: ['a|b', 'c,d'],
      out: '"a|b"|c,d\r\n',
    },
    {
      name: 'a custom record delimiter forces quotes',
      opts: { recordDelimiter: ';' },
      row: ['x;y', 'z'],
      out: '"x;y",z;',
    },
    {
      name: 'single-quote QuoteCharacter',
      opts: { quoteCharacter: "'", quoteEscapeCharacter: "'" },
      row: ["it's", 'a"b'],
      out: "'it''s',a\"b\n",
    },
    {
      name: 'a distinct escape character',
      opts: { quoteEscapeCharacter: '\\' },
      row: ['a"b', 'c\\d"', 'c\\d'],
      out: '"a\\"b","c\\\\d\\"",c\\d\n',
    },
    { name: 'multi-byte text', opts: { quoteFields: 'ALWAYS' }, row: ['€😀'], out: '"€😀"\n' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(write(c.opts, c.row), c.out);
    });
  }

  it('reads back unchanged with the same options', async () => {
    const values = ['plain', 'a,b', 'q"q', '""', 'x\ny', ' lead', 'trail ', '\\"', 'e\\', '', 'é😀'];
    const optionSets: Partial<CsvOutputOptions>[] = [
      {},
      { quoteFields: 'ALWAYS' },
      { quoteEscapeCharacter: '\\' },
      { fieldDelimiter: ';', recordDelimiter: '\r\n', quoteCharacter: "'", quoteEscapeCharacter: "'" },
    ];
    for (const o of optionSets) {
      const opts = { ...DEFAULTS, ...o };
      const text = write(opts, values, ['last']);
      const r = await collectCsv(chunksOf(text, 3), {
        fieldDelimiter: opts.fieldDelimiter,
        recordDelimiter: opts.recordDelimiter,
        quoteCharacter: opts.quoteCharacter,
        quoteEscapeCharacter: opts.quoteEscapeCharacter,
        allowQuotedRecordDelimiter: true,
      });
      assert.deepEqual(r.rows, [values, ['last']], JSON.stringify(o));
    }
  });
});

describe('CSV writer: buffer', () => {
  it('pending counts what is buffered; take empties it', () => {
    const w = createCsvWriter(DEFAULTS);
    assert.equal(w.pending, 0);
    w.write({ names: ['a'], values: ['é'] });
    w.write({ names: ['a'], values: ['bc'] });
    assert.equal(w.pending, 5);
    assert.deepEqual(w.take(), Buffer.from('é\nbc\n'));
    assert.equal(w.pending, 0);
    assert.equal(w.take().length, 0);
  });
  it('an output record over 1 MB is OverMaxRecordSize', async () => {
    const w = createCsvWriter(DEFAULTS);
    w.write({ names: ['a'], values: ['x'.repeat(1024 * 1024)] });
    assert.equal(
      await outcome((async () => w.write({ names: ['a', 'b'], values: ['x'.repeat(1024 * 1024), 'y'] }))()),
      'OverMaxRecordSize',
    );
  });
});
