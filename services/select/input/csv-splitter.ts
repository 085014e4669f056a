/**
 * Splits decoded CSV text into records and fields.
 *
 * Hand-written rather than papaparse or csv-parse: those are generic
 * char-at-a-time state machines with per-row object churn and do not fail
 * early on an overlong record; S3 Select needs (a) bounded memory on a 1 GB
 * line (fail once the pending record passes 1 MB), (b) stopping mid-chunk
 * when LIMIT is met, (c) skipping fields past the last one a query uses, and
 * (d) throughput near memchr speed. So the common case — a record with no
 * quote character — is found with String#indexOf of the record delimiter and
 * split with String#split (both native, vectorised), and only a record that
 * contains a quote goes through the character-level parser (csv-quoted.ts).
 *
 * Decisions where S3's documentation is silent (MinIO and Go's encoding/csv
 * agree): blank lines are skipped (so is the empty "record" after a final
 * newline); with RecordDelimiter "\n", a "\r" before it is part of the
 * delimiter, so CRLF files read the same; the record limit counts characters
 * (S3's message: "maxCharsPerRecord limit of 1 MB").
 */
import { errors } from '../../../shared/errors.js';
import { SELECT_LIMITS, type CsvInputOptions } from '../types.js';
import { parseQuotedRecord, type CsvSyntax } from './csv-quoted.js';

/** Receives each record's fields; false = stop. */
export type RowHandler = (fields: string[]) => boolean;

const NO_FIELDS: string[] = [];

export class CsvSplitter {
  /** Fields past this many are not split out (the query does not use them). */
  fieldLimit = Infinity;
  /**
   * When set, fields below fieldLimit whose entry is 0 are not used by the
   * query either: they are handed over as '' rather than sliced out.
   */
  fieldsUsed: Uint8Array | undefined = undefined;
  private carry = '';
  /** Fields in the last record split (the next record likely has as many). */
  private width = 1;
  /** Where the record-delimiter search may resume in the carried text. */
  private resumeAt = 0;
  private readonly syn: CsvSyntax;

  constructor(
    opts: CsvInputOptions,
    private readonly onRow: RowHandler,
    private readonly maxRecordChars: number = SELECT_LIMITS.maxRecordBytes,
  ) {
    this.syn = {
      fieldDelimiter: opts.fieldDelimiter,
      recordDelimiter: opts.recordDelimiter,
      quote: opts.quoteCharacter,
      escape: opts.quoteEscapeCharacter,
      allowQuotedRecordDelimiter: opts.allowQuotedRecordDelimiter,
      stripCr: opts.recordDelimiter === '\n',
    };
    this.comment = opts.comments;
  }

  private readonly comment: string;

  /** Feeds the next piece of text; false when the handler asked to stop. */
  push(chunk: string): boolean {
    if (this.carry.length === 0) return this.run(chunk, 0, false);
    // Finish the carried record on a small string, then split the chunk in
    // place: carry + chunk would be a rope that every indexOf and slice of
    // the chunk goes through (and a copy of the chunk when flattened).
    const nl = chunk.indexOf(this.syn.recordDelimiter);
    if (nl === -1) return this.run(this.carry + chunk, 0, false);
    const headEnd = nl + this.syn.recordDelimiter.length;
    if (!this.run(this.carry + chunk.slice(0, headEnd), 0, false)) return false;
    // A quoted record delimiter (or a record over the limit) keeps the record open: go on as one text.
    if (this.carry.length > 0) return this.run(this.carry + chunk.slice(headEnd), 0, false);
    return this.run(chunk, headEnd, false);
  }

  /** End of input: the last record may lack its delimiter. */
  end(): boolean {
    const text = this.carry;
    this.carry = '';
    return text.length === 0 ? true : this.run(text, 0, true);
  }

  /** Splits the records of text[start…]; the unfinished last one is carried. */
  private run(text: string, start: number, final: boolean): boolean {
    const { recordDelimiter: rd, quote } = this.syn;
    const rdLen = rd.length;
    const n = text.length;
    const max = this.maxRecordChars;
    let q = quote === '' ? -1 : text.indexOf(quote, start);
    let pos = start;
    const searchFrom = this.resumeAt;
    this.resumeAt = 0;
    while (pos < n) {
      let nl = text.indexOf(rd, searchFrom > pos ? searchFrom : pos);
      if (nl === -1) {
        if (!final) break;
        nl = n;
      }
      const next = nl === n ? n : nl + rdLen;
      const end = this.syn.stripCr && nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (end === pos || (this.comment !== '' && text.startsWith(this.comment, pos))) {
        pos = next; // blank or comment line
        continue;
      }
      if (q !== -1 && q < pos) q = text.indexOf(quote, pos);
      let fields: string[];
      if (q !== -1 && q < nl) {
        const bound = this.syn.allowQuotedRecordDelimiter ? -1 : nl;
        const rec = parseQuotedRecord(text, pos, bound, final, this.syn);
        if (rec === null) break; // a quoted record delimiter: the record goes on
        if (rec.next - pos > max) throw errors.make('OverMaxRecordSize');
        fields = rec.fields;
        pos = rec.next;
      } else {
        if (end - pos > max) throw errors.make('OverMaxRecordSize');
        fields = this.split(text, pos, end);
        pos = next;
      }
      if (!this.onRow(fields)) return false;
    }
    if (pos < n) {
      this.carry = pos === 0 ? text : text.slice(pos);
      if (this.carry.length > max) throw errors.make('OverMaxRecordSize');
      this.resumeAt = Math.max(0, this.carry.length - rdLen + 1);
    } else {
      this.carry = '';
    }
    return true;
  }

  private split(text: string, from: number, to: number): string[] {
    const limit = this.fieldLimit;
    if (limit <= 0) return NO_FIELDS;
    const fd = this.syn.fieldDelimiter;
    // An indexOf loop over the chunk: faster than String#split on a sliced
    // line (no intermediate line string), and it stops at the last needed
    // field. The array is sized like the previous record's.
    const fields = new Array<string>(this.width);
    const used = this.fieldsUsed;
    let k = 0;
    let p = from;
    for (;;) {
      const f = text.indexOf(fd, p);
      if (f === -1 || f >= to) {
        fields[k] = used === undefined || used[k] === 1 ? text.slice(p, to) : '';
        k++;
        break;
      }
      fields[k] = used === undefined || used[k] === 1 ? text.slice(p, f) : '';
      if (++k === limit) break;
      p = f + fd.length;
    }
    if (k !== fields.length) fields.length = k;
    this.width = k;
    return fields;
  }
}
