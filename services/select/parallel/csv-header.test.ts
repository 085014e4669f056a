import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CsvInputOptions } from '../types.js';
import { csvHeaderPrefix } from './csv-header.js';

const csv = (over: Partial<CsvInputOptions> = {}): CsvInputOptions => ({
  fileHeaderInfo: 'USE',
  fieldDelimiter: ',',
  recordDelimiter: '\n',
  quoteCharacter: '"',
  quoteEscapeCharacter: '"',
  comments: '',
  allowQuotedRecordDelimiter: false,
  ...over,
});

describe('csvHeaderPrefix: the opening bytes through the header record', () => {
  const cases: Array<[name: string, text: string, opts: CsvInputOptions, want: string]> = [
    ['plain', 'a,b\n1,2\n', csv(), 'a,b\n'],
    ['CRLF', 'a,b\r\n1,2\r\n', csv(), 'a,b\r\n'],
    ['byte order mark and blank lines first', '\ufeff\n \r\na,b\n1,2\n', csv(), '\ufeff\n \r\na,b\n'],
    ['comment lines first', '#x\n\n#y\na,b\n1,2\n', csv({ comments: '#' }), '#x\n\n#y\na,b\n'],
    ['a # line is the header without Comments', '#x\na,b\n', csv(), '#x\n'],
    ['custom delimiter', 'a,b|1,2|', csv({ recordDelimiter: '|' }), 'a,b|'],
    ['no delimiter: everything', 'a,b', csv(), 'a,b'],
  ];
  for (const [name, text, opts, want] of cases) {
    it(name, () => assert.equal(csvHeaderPrefix(Buffer.from(text), opts).toString(), want));
  }
});
