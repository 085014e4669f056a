/**
 * CSV output of SelectObjectContent (CSVOutput: QuoteFields, FieldDelimiter,
 * RecordDelimiter, QuoteCharacter, QuoteEscapeCharacter).
 * - ALWAYS quotes every field; ASNEEDED quotes a field only when it must, i.e.
 *   when it contains the field delimiter, the quote character, the record
 *   delimiter, or a CR or LF (a reader would split it otherwise). Leading or
 *   trailing spaces are data, not a reason to quote (as AWS's output shows).
 * - Inside quotes, the quote character is written as QuoteEscapeCharacter +
 *   quote (the default escape is the quote itself: "" ); with a distinct escape
 *   character, the escape character itself is doubled too, so that the output
 *   reads back unchanged with the same options.
 * - NULL and MISSING are empty fields (formatValue).
 * An output record over 1 MB → OverMaxRecordSize.
 */
import { formatValue } from '../sql/index.js';
import { SELECT_LIMITS, type CsvOutputOptions, type RowWriter } from '../types.js';
import { createRowBuffer } from './row-buffer.js';

export function createCsvWriter(
  opts: CsvOutputOptions,
  maxRecordChars: number = SELECT_LIMITS.maxRecordBytes,
): RowWriter {
  const { fieldDelimiter: fd, recordDelimiter: rd, quoteCharacter: quote } = opts;
  const escape = opts.quoteEscapeCharacter === '' ? quote : opts.quoteEscapeCharacter;
  const always = opts.quoteFields === 'ALWAYS' && quote !== '';
  const escaped = (text: string): string => {
    let out = text;
    if (escape !== quote && out.includes(escape)) out = out.replaceAll(escape, escape + escape);
    if (out.includes(quote)) out = out.replaceAll(quote, escape + quote);
    return quote + out + quote;
  };
  const needsQuotes = (text: string): boolean =>
    quote !== '' &&
    (text.includes(fd) ||
      text.includes(quote) ||
      text.includes(rd) ||
      text.includes('\n') ||
      text.includes('\r'));
  const field = (text: string): string => (always || needsQuotes(text) ? escaped(text) : text);

  return createRowBuffer(
    ({ values }) => {
      let line = '';
      for (let i = 0; i < values.length; i++) {
        if (i > 0) line += fd;
        line += field(formatValue(values[i]));
      }
      return line;
    },
    rd,
    maxRecordChars,
  );
}
