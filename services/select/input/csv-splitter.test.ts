import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CsvInputOptions } from '../types.js';
import { collectCsv, outcome, splitAt, chunksOf } from './reader-test-kit.js';

interface Case {
  name: string;
  input: string;
  opts?: Partial<CsvInputOptions>;
  rows?: string[][];
  error?: string;
}

const TRUE = { allowQuotedRecordDelimiter: true };
const BACKSLASH = { quoteEscapeCharacter: '\\' };

const cases: Case[] = [
  {
    name: 'plain records',
    input: 'a,b,c\n1,2,3\n',
    rows: [
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ],
  },
  {
    name: 'no final newline',
    input: 'a,b\n1,2',
    rows: [
      ['a', 'b'],
      ['1', '2'],
    ],
  },
  { name: 'blank lines are skipped', input: 'a\n\n\nb\n\n', rows: [['a'], ['b']] },
  {
    name: 'empty fields',
    input: ',,\nx,,\n',
    rows: [
      ['', '', ''],
      ['x', '', ''],
    ],
  },
  { name: 'spaces are data', input: ' a , b \n', rows: [[' a ', ' b ']] },
  {
    name: 'CRLF with the default delimiter',
    input: 'a,b\r\n1,2\r\n\r\n3,4',
    rows: [
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ],
  },
  { name: 'a lone CR is data', input: 'a\rb,c\n', rows: [['a\rb', 'c']] },
  { name: 'quoted field delimiter', input: 'x,"a,b",y\n', rows: [['x', 'a,b', 'y']] },
  {
    name: 'doubled quote',
    input: '"a""b",c\n"""",""\n',
    rows: [
      ['a"b', 'c'],
      ['"', ''],
    ],
  },
  { name: 'quote inside an unquoted field is data', input: 'a"b,c"\n', rows: [['a"b', 'c"']] },
  { name: 'text after a closing quote is kept', input: '"ab"c,d\n', rows: [['abc', 'd']] },
  { name: 'quoted last field before CRLF', input: '"a","b"\r\nc\r\n', rows: [['a', 'b'], ['c']] },
  { name: 'quoted CR is data', input: '"a\r",b\n', rows: [['a\r', 'b']] },
  { name: 'quoted record at the end without newline', input: 'a\n"b,c"', rows: [['a'], ['b,c']] },
  { name: 'escape character before a quote', input: '"a\\"b",c\n', opts: BACKSLASH, rows: [['a"b', 'c']] },
  { name: 'escaped escape character', input: '"a\\\\",c\n', opts: BACKSLASH, rows: [['a\\', 'c']] },
  { name: 'escape before another character is kept', input: '"a\\nb"\n', opts: BACKSLASH, rows: [['a\\nb']] },
  { name: 'doubled quote with a distinct escape', input: '"a""b"\n', opts: BACKSLASH, rows: [['a"b']] },
  { name: 'escape outside quotes is data', input: 'a\\,b\n', opts: BACKSLASH, rows: [['a\\', 'b']] },
  {
    name: 'single-quote QuoteCharacter',
    input: "'a,b',\"c\n",
    opts: { quoteCharacter: "'", quoteEscapeCharacter: "'" },
    rows: [['a,b', '"c']],
  },
  {
    name: 'no quote character',
    input: '"a,b"\n',
    opts: { quoteCharacter: '', quoteEscapeCharacter: '' },
    rows: [['"a', 'b"']],
  },
  { name: 'tab field delimiter', input: 'a\tb,c\n', opts: { fieldDelimiter: '\t' }, rows: [['a', 'b,c']] },
  {
    name: 'multi-character field delimiter',
    input: 'a||b|c||\n',
    opts: { fieldDelimiter: '||' },
    rows: [['a', 'b|c', '']],
  },
  {
    name: 'custom record delimiter',
    input: 'a,b;c\nd;',
    opts: { recordDelimiter: ';' },
    rows: [['a', 'b'], ['c\nd']],
  },
  {
    name: 'CRLF record delimiter',
    input: 'a\rb\r\nc\r\n',
    opts: { recordDelimiter: '\r\n' },
    rows: [['a\rb'], ['c']],
  },
  {
    name: 'multi-character record delimiter',
    input: 'a#b##c###',
    opts: { recordDelimiter: '##' },
    rows: [['a#b'], ['c'], ['#']],
  },
  {
    name: 'quoted custom record delimiter (TRUE)',
    input: '"a;b";c',
    opts: { recordDelimiter: ';', ...TRUE },
    rows: [['a;b'], ['c']],
  },
  {
    name: 'comment lines are skipped',
    input: '#x,y\na,b\n#"open\nc#d\n',
    opts: { comments: '#' },
    rows: [['a', 'b'], ['c#d']],
  },
  {
    name: 'a comment character that is not first is data',
    input: ' #a\n',
    opts: { comments: '#' },
    rows: [[' #a']],
  },
  { name: 'no comments by default', input: '#a\n', rows: [['#a']] },
  { name: 'quoted record delimiter (FALSE)', input: 'a,"b\nc",d\n', error: 'CSVEscapingRecordDelimiter' },
  {
    name: 'quoted record delimiter (TRUE)',
    input: 'a,"b\nc",d\ne\n',
    opts: TRUE,
    rows: [['a', 'b\nc', 'd'], ['e']],
  },
  { name: 'quoted CRLF (TRUE)', input: 'a,"b\r\nc"\r\n', opts: TRUE, rows: [['a', 'b\r\nc']] },
  { name: 'several quoted newlines (TRUE)', input: '"\n\n","\n"\n', opts: TRUE, rows: [['\n\n', '\n']] },
  { name: 'unterminated quote at the end', input: 'a\nb,"cd', error: 'CSVUnescapedQuote' },
  {
    name: 'unterminated quote at the end (TRUE)',
    input: 'a\nb,"c\nd\n',
    opts: TRUE,
    error: 'CSVUnescapedQuote',
  },
  { name: 'unterminated quote before a newline', input: '"abc\n', error: 'CSVEscapingRecordDelimiter' },
];

function* splits(input: string): Generator<[string, () => AsyncIterable<Buffer>]> {
  const bytes = Buffer.byteLength(input);
  yield ['one chunk', () => chunksOf(input, 1 << 20)];
  yield ['1-byte chunks', () => chunksOf(input, 1)];
  for (let cut = 1; cut < bytes; cut++) yield [`cut at ${cut}`, () => splitAt(input, cut)];
}

describe('CSV splitting', () => {
  for (const c of cases) {
    it(c.name, async () => {
      for (const [how, input] of splits(c.input)) {
        if (c.error !== undefined) {
          assert.equal(await outcome(collectCsv(input(), c.opts)), c.error, how);
        } else {
          const { rows } = await collectCsv(input(), c.opts);
          assert.deepEqual(rows, c.rows, how);
        }
      }
    });
  }
});
