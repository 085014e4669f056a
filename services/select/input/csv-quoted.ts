/**
 * The slow path of the CSV splitter: one record that has a quote character in
 * it. The rules (CSVInput in the SelectObjectContent API reference, RFC 4180
 * where S3 is silent):
 * - A field that starts with QuoteCharacter is quoted: field and record
 *   delimiters inside it are data. Inside, QuoteEscapeCharacter followed by
 *   the quote character is a literal quote (the default escape is the quote
 *   itself, so "" is a quote); with a distinct escape character, a doubled
 *   quote is a quote too, and escape+escape is one escape character; an
 *   escape before anything else is kept as is.
 * - Text after the closing quote, up to the next delimiter, is appended as is
 *   ("ab"c → abc), as most CSV readers do; a quote character that is not at
 *   the start of a field is an ordinary character (a"b → a"b).
 * - A record delimiter inside quotes is an error (CSVEscapingRecordDelimiter)
 *   unless AllowQuotedRecordDelimiter is TRUE; a quote still open at the end
 *   of the input is CSVUnescapedQuote.
 */
import { errors } from '../../../shared/errors.js';

export interface CsvSyntax {
  readonly fieldDelimiter: string;
  readonly recordDelimiter: string;
  /** '' = no quoting. */
  readonly quote: string;
  readonly escape: string;
  readonly allowQuotedRecordDelimiter: boolean;
  /** RecordDelimiter "\n": a "\r" before it (outside quotes) belongs to the delimiter. */
  readonly stripCr: boolean;
}

export interface ParsedRecord {
  readonly fields: string[];
  /** Index just after the record's delimiter (or the end of the text). */
  readonly next: number;
}

/**
 * Parses the record that starts at `pos`. With quoted record delimiters not
 * allowed, the caller passes `bound`: the index of the record delimiter that
 * ends the record, or text.length for the last record of the input; with them
 * allowed, `bound` is -1 and the record's end is found here. Returns null when
 * the text ends before the record does and more input may come (`final` false).
 * QuoteCharacter and QuoteEscapeCharacter are single characters (as the API says).
 */
export function parseQuotedRecord(
  text: string,
  pos: number,
  bound: number,
  final: boolean,
  syn: CsvSyntax,
): ParsedRecord | null {
  const { fieldDelimiter: fd, recordDelimiter: rd, quote, escape } = syn;
  const bounded = bound >= 0;
  const end = bounded ? bound : text.length;
  const Q = quote === '' ? -1 : quote.charCodeAt(0);
  const E = escape === '' ? Q : escape.charCodeAt(0);
  const fd0 = fd.length === 1 ? fd.charCodeAt(0) : -2;
  const fields: string[] = [];
  let i = pos;
  let r = -1; // the next record delimiter at or after i (unbounded mode), found lazily
  for (;;) {
    let value = '';
    if (text.charCodeAt(i) === Q) {
      let j = i + 1;
      for (;;) {
        const q = text.indexOf(quote, j);
        const e = E !== Q ? text.indexOf(escape, j) : -1;
        const isEscape = e !== -1 && (q === -1 || e < q);
        const k = isEscape ? e : q;
        if (k === -1 || k >= end) {
          if (bounded && end < text.length) throw errors.make('CSVEscapingRecordDelimiter');
          if (final) throw errors.make('CSVUnescapedQuote');
          return null;
        }
        const after = k + 1;
        if (!bounded && !final && after >= text.length) return null; // need the next character
        const next = after < end ? text.charCodeAt(after) : -1;
        if (next === Q) {
          value += text.slice(j, k) + quote; // escaped or doubled quote
          j = after + 1;
          continue;
        }
        if (isEscape) {
          value += text.slice(j, k) + escape;
          j = next === E ? after + 1 : after;
          continue;
        }
        value += text.slice(j, k); // the closing quote
        i = after;
        break;
      }
      // The usual case: the closing quote ends the field.
      if (i < end && text.charCodeAt(i) === fd0) {
        fields.push(value);
        i++;
        continue;
      }
      if (bounded && i === end) {
        fields.push(value);
        return { fields, next: end < text.length ? end + rd.length : end };
      }
    }
    // The unquoted field, or what follows a closing quote up to the delimiter.
    let f = text.indexOf(fd, i);
    if (f >= end) f = -1;
    if (bounded) {
      if (f !== -1) {
        fields.push(value + text.slice(i, f));
        i = f + fd.length;
        continue;
      }
      const isRd = end < text.length;
      fields.push(value + text.slice(i, isRd ? crStop(text, i, end, syn) : end));
      return { fields, next: isRd ? end + rd.length : end };
    }
    if (r < i) {
      r = text.indexOf(rd, i);
      if (r === -1) r = Infinity; // none in this text: do not search again
    }
    if (f !== -1 && f < r) {
      fields.push(value + text.slice(i, f));
      i = f + fd.length;
      continue;
    }
    if (r !== Infinity) {
      fields.push(value + text.slice(i, crStop(text, i, r, syn)));
      return { fields, next: r + rd.length };
    }
    if (!final) return null;
    fields.push(value + text.slice(i));
    return { fields, next: text.length };
  }
}

/** Where an unquoted field ending at record delimiter `r` stops: before a CR that belongs to a CRLF. */
function crStop(text: string, from: number, r: number, syn: CsvSyntax): number {
  return syn.stripCr && r > from && text.charCodeAt(r - 1) === 13 ? r - 1 : r;
}
