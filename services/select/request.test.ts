import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isS3Error } from '../../shared/errors.js';
import { parseSelectRequest, type SelectRequest } from './request.js';

interface Parts {
  expression?: string | undefined;
  type?: string | undefined;
  input?: string;
  output?: string;
  extra?: string;
}

function xml(p: Parts = {}): string {
  const expr = 'expression' in p ? p.expression : 'SELECT * FROM S3Object';
  const type = 'type' in p ? p.type : 'SQL';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<SelectObjectContentRequest xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    (expr === undefined ? '' : `<Expression>${expr}</Expression>`) +
    (type === undefined ? '' : `<ExpressionType>${type}</ExpressionType>`) +
    `<InputSerialization>${p.input ?? '<CSV/>'}</InputSerialization>` +
    `<OutputSerialization>${p.output ?? '<CSV/>'}</OutputSerialization>` +
    (p.extra ?? '') +
    '</SelectObjectContentRequest>'
  );
}

function codeOf(body: string): string {
  try {
    parseSelectRequest(body);
  } catch (e) {
    assert.ok(isS3Error(e), `expected an S3Error, got ${String(e)}`);
    return e.code;
  }
  return 'OK';
}

describe('parseSelectRequest: defaults', () => {
  it('CSV in, CSV out, with S3 defaults', () => {
    const r = parseSelectRequest(xml());
    const expected: SelectRequest = {
      expression: 'SELECT * FROM S3Object',
      input: {
        format: 'CSV',
        compression: 'NONE',
        csv: {
          fileHeaderInfo: 'NONE',
          fieldDelimiter: ',',
          recordDelimiter: '\n',
          quoteCharacter: '"',
          quoteEscapeCharacter: '"',
          comments: '#',
          allowQuotedRecordDelimiter: false,
        },
      },
      output: {
        format: 'CSV',
        csv: {
          quoteFields: 'ASNEEDED',
          fieldDelimiter: ',',
          recordDelimiter: '\n',
          quoteCharacter: '"',
          quoteEscapeCharacter: '"',
        },
      },
      requestProgress: false,
      scanRange: undefined,
    };
    assert.deepEqual(r, expected);
  });

  it('JSON in (DOCUMENT by default), JSON out with newline delimiter', () => {
    const r = parseSelectRequest(xml({ input: '<JSON/>', output: '<JSON/>' }));
    assert.deepEqual(r.input, { format: 'JSON', compression: 'NONE', json: { type: 'DOCUMENT' } });
    assert.deepEqual(r.output, { format: 'JSON', json: { recordDelimiter: '\n' } });
  });

  it('every CSV option given, enumerations case-insensitive', () => {
    const r = parseSelectRequest(
      xml({
        input:
          '<CSV><FileHeaderInfo>Use</FileHeaderInfo><FieldDelimiter>\t</FieldDelimiter><RecordDelimiter>&#x0D;&#x0A;</RecordDelimiter>' +
          "<QuoteCharacter>'</QuoteCharacter><QuoteEscapeCharacter>\\</QuoteEscapeCharacter><Comments>;</Comments>" +
          '<AllowQuotedRecordDelimiter>TRUE</AllowQuotedRecordDelimiter></CSV><CompressionType>gzip</CompressionType>',
        output:
          '<CSV><QuoteFields>always</QuoteFields><FieldDelimiter>|</FieldDelimiter><RecordDelimiter>;</RecordDelimiter>' +
          "<QuoteCharacter>'</QuoteCharacter><QuoteEscapeCharacter>\\</QuoteEscapeCharacter></CSV>",
        extra: '<RequestProgress><Enabled>true</Enabled></RequestProgress>',
      }),
    );
    assert.deepEqual(r.input, {
      format: 'CSV',
      compression: 'GZIP',
      csv: {
        fileHeaderInfo: 'USE',
        fieldDelimiter: '\t',
        recordDelimiter: '\r\n',
        quoteCharacter: "'",
        quoteEscapeCharacter: '\\',
        comments: ';',
        allowQuotedRecordDelimiter: true,
      },
    });
    assert.deepEqual(r.output, {
      format: 'CSV',
      csv: {
        quoteFields: 'ALWAYS',
        fieldDelimiter: '|',
        recordDelimiter: ';',
        quoteCharacter: "'",
        quoteEscapeCharacter: '\\',
      },
    });
    assert.equal(r.requestProgress, true);
  });

  it('numeric character references decode, as the AWS SDK writes newlines', () => {
    const r = parseSelectRequest(
      xml({
        input: '<CSV><RecordDelimiter>&#13;</RecordDelimiter></CSV>',
        output: '<JSON><RecordDelimiter>&#x0A;</RecordDelimiter></JSON>',
        expression: "SELECT * FROM S3Object s WHERE s._1 = '&#x3C;&amp;#65;'",
      }),
    );
    assert.equal(r.input.format === 'CSV' && r.input.csv.recordDelimiter, '\r');
    assert.deepEqual(r.output, { format: 'JSON', json: { recordDelimiter: '\n' } });
    assert.equal(r.expression, "SELECT * FROM S3Object s WHERE s._1 = '<&#65;'");
  });

  it('an empty Comments element turns comment lines off', () => {
    const r = parseSelectRequest(xml({ input: '<CSV><Comments></Comments></CSV>' }));
    assert.equal(r.input.format === 'CSV' && r.input.csv.comments, '');
  });

  it('XML entities in the expression are decoded', () => {
    const r = parseSelectRequest(
      xml({ expression: 'SELECT * FROM S3Object s WHERE s._1 &lt; 3 AND s._2 = &apos;a&amp;b&apos;' }),
    );
    assert.equal(r.expression, "SELECT * FROM S3Object s WHERE s._1 < 3 AND s._2 = 'a&b'");
  });

  it('Parquet input', () => {
    assert.deepEqual(parseSelectRequest(xml({ input: '<Parquet/>' })).input, {
      format: 'Parquet',
      compression: 'NONE',
    });
  });
});

describe('parseSelectRequest: ScanRange', () => {
  const cases: Array<[string, string, string, { start?: number; end?: number } | string]> = [
    [
      'start and end',
      '<CSV/>',
      '<ScanRange><Start>10</Start><End>20</End></ScanRange>',
      { start: 10, end: 20 },
    ],
    ['start only', '<CSV/>', '<ScanRange><Start>10</Start></ScanRange>', { start: 10 }],
    [
      'end only (last N bytes)',
      '<JSON><Type>LINES</Type></JSON>',
      '<ScanRange><End>50</End></ScanRange>',
      { end: 50 },
    ],
    ['empty', '<CSV/>', '<ScanRange></ScanRange>', 'InvalidScanRange'],
    [
      'start after end',
      '<CSV/>',
      '<ScanRange><Start>30</Start><End>20</End></ScanRange>',
      'InvalidScanRange',
    ],
    ['negative', '<CSV/>', '<ScanRange><Start>-1</Start></ScanRange>', 'InvalidScanRange'],
    ['not a number', '<CSV/>', '<ScanRange><Start>abc</Start></ScanRange>', 'InvalidScanRange'],
    [
      'JSON DOCUMENT',
      '<JSON><Type>DOCUMENT</Type></JSON>',
      '<ScanRange><Start>1</Start></ScanRange>',
      'UnsupportedScanRangeInput',
    ],
    ['Parquet', '<Parquet/>', '<ScanRange><Start>1</Start></ScanRange>', 'UnsupportedScanRangeInput'],
    [
      'compressed CSV',
      '<CSV/><CompressionType>GZIP</CompressionType>',
      '<ScanRange><Start>1</Start></ScanRange>',
      'UnsupportedScanRangeInput',
    ],
    [
      'CSV with quoted record delimiters',
      '<CSV><AllowQuotedRecordDelimiter>TRUE</AllowQuotedRecordDelimiter></CSV>',
      '<ScanRange><Start>1</Start></ScanRange>',
      'UnsupportedScanRangeInput',
    ],
  ];
  for (const [name, input, extra, want] of cases) {
    it(name, () => {
      if (typeof want === 'string') {
        assert.equal(codeOf(xml({ input, extra })), want);
      } else {
        assert.deepEqual(parseSelectRequest(xml({ input, extra })).scanRange, {
          start: want.start,
          end: want.end,
        });
      }
    });
  }
});

describe('parseSelectRequest: errors', () => {
  const cases: Array<[string, string]> = [
    ['', 'EmptyRequestBody'],
    ['<SelectObjectContentRequest><Expression>', 'MalformedXML'],
    ['<Other><Expression>x</Expression></Other>', 'MalformedXML'],
    [xml({ expression: undefined }), 'MissingRequiredParameter'],
    [xml({ type: undefined }), 'MissingRequiredParameter'],
    [xml({ type: 'XPATH' }), 'InvalidExpressionType'],
    [xml({ expression: 'SELECT ' + 'x'.repeat(256 * 1024) }), 'ExpressionTooLong'],
    [xml({ input: '' }), 'MissingRequiredParameter'],
    [xml({ input: '<CSV/><JSON/>' }), 'ObjectSerializationConflict'],
    [xml({ output: '<CSV/><JSON/>' }), 'ObjectSerializationConflict'],
    [xml({ output: '' }), 'MissingRequiredParameter'],
    [xml({ input: '<CSV><FileHeaderInfo>FIRST</FileHeaderInfo></CSV>' }), 'InvalidFileHeaderInfo'],
    [xml({ input: '<JSON><Type>ARRAY</Type></JSON>' }), 'InvalidJsonType'],
    [xml({ input: '<CSV/><CompressionType>ZIP</CompressionType>' }), 'InvalidCompressionFormat'],
    [xml({ input: '<Parquet/><CompressionType>GZIP</CompressionType>' }), 'InvalidCompressionFormat'],
    [xml({ output: '<CSV><QuoteFields>SOMETIMES</QuoteFields></CSV>' }), 'InvalidQuoteFields'],
    [xml({ input: '<CSV><FieldDelimiter>::</FieldDelimiter></CSV>' }), 'InvalidRequestParameter'],
    [xml({ input: '<CSV><FieldDelimiter>"</FieldDelimiter></CSV>' }), 'InvalidRequestParameter'],
    [xml({ input: '<CSV><RecordDelimiter>abc</RecordDelimiter></CSV>' }), 'InvalidRequestParameter'],
    [xml({ output: '<JSON><RecordDelimiter>abc</RecordDelimiter></JSON>' }), 'InvalidRequestParameter'],
    [
      xml({ extra: '<RequestProgress><Enabled>maybe</Enabled></RequestProgress>' }),
      'InvalidRequestParameter',
    ],
  ];
  for (const [body, code] of cases) {
    it(`${code}: ${body.slice(0, 60).replace(/<\?xml[^>]*>/, '')}…`, () => {
      assert.equal(codeOf(body), code);
    });
  }
});
