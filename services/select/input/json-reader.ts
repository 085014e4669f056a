/**
 * JSON input of SelectObjectContent:
 * - LINES: one JSON value per line (blank lines skipped, CRLF fine).
 * - DOCUMENT: one or more top-level values, each possibly spread over many
 *   lines, one after the other. Each top-level value is one record: a
 *   top-level array is one record whose elements the query reaches with
 *   S3Object[*] (the SQL engine's concern).
 * Values are found by json-scanner.ts (LINES: by newline) and parsed with
 * JSON.parse (LINES, when the query names its fields, json-line-shapes.ts
 * builds just those from the usual flat line); invalid JSON → JSONParsingError, nesting past
 * SELECT_LIMITS.maxJsonDepth → JSONParsingError, a record over 1 MB →
 * OverMaxRecordSize. See reader.ts for the contract with the caller.
 */
import { errors, S3Error } from '../../../shared/errors.js';
import {
  SELECT_LIMITS,
  type JsonInputOptions,
  type Projection,
  type RecordSink,
  type SelectValue,
} from '../types.js';
import { JsonLineShapes } from './json-line-shapes.js';
import { JsonValueScanner, nestsDeeperThan } from './json-scanner.js';
import type { JsonReaderContext } from './reader.js';
import { clipToScanRange, scanRangeOpenOffset } from './scan-range.js';
import { Utf8Text } from './utf8-text.js';

interface TextSink {
  push(text: string): boolean;
  end(): boolean;
}

export async function readJson(
  input: AsyncIterable<Buffer>,
  opts: JsonInputOptions,
  ctx: JsonReaderContext,
): Promise<void> {
  const range = ctx.scanRange;
  if (range !== undefined && opts.type !== 'LINES') throw errors.make('UnsupportedScanRangeInput');
  const emit = (text: string) => ctx.sink(parseRecord(text));
  const target: TextSink =
    opts.type === 'LINES'
      ? new JsonLines(emit, flatFields(ctx.projection), ctx.sink)
      : new JsonValueScanner(emit, (line) => wholeLine(line, ctx.sink));
  const source =
    range === undefined
      ? input
      : clipToScanRange(input, range, ctx.inputOffset ?? scanRangeOpenOffset(range, '\n'), '\n');
  const decoder = new Utf8Text();
  let first = range === undefined || range.start === 0;
  for await (const chunk of source) {
    if (ctx.signal?.aborted) return;
    ctx.counters.bytesProcessed += chunk.length;
    let text = decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // UTF-8 byte order mark
      first = false;
    }
    if (!target.push(text)) return;
  }
  const rest = decoder.end();
  if (rest.length > 0 && !target.push(rest)) return;
  target.end();
}

/** LINES with a query that names its top-level fields: records of just those (json-line-shapes.ts). */
function flatFields(projection: Projection): JsonLineShapes | undefined {
  if (projection.allColumns || projection.positions.size > 0) return undefined;
  return new JsonLineShapes(projection.names, projection.filterNames);
}

/** DOCUMENT's fast path: a line that parses as one value (and is not too deep) is that value. */
function wholeLine(line: string, sink: (v: SelectValue) => boolean): boolean | undefined {
  let value: SelectValue;
  try {
    value = JSON.parse(line) as SelectValue;
  } catch {
    return undefined;
  }
  if (tooDeep(line, SELECT_LIMITS.maxJsonDepth)) return undefined;
  return sink(value);
}

function tooDeep(text: string, max: number): boolean {
  return mayNestDeeperThan(text, max) && nestsDeeperThan(text, 0, text.length, max);
}

function parseRecord(text: string): SelectValue {
  try {
    return JSON.parse(text) as SelectValue;
  } catch (e) {
    throw new S3Error('JSONParsingError', undefined, { cause: e });
  }
}

/** LINES: each non-blank line is a value. */
class JsonLines implements TextSink {
  private carry = '';
  private resumeAt = 0;

  constructor(
    private readonly onValue: (text: string) => boolean,
    /** When given, lines it can read go to `onRecord` without JSON.parse. */
    private readonly fields: JsonLineShapes | undefined,
    private readonly onRecord: RecordSink,
    private readonly maxChars: number = SELECT_LIMITS.maxRecordBytes,
    private readonly maxDepth: number = SELECT_LIMITS.maxJsonDepth,
  ) {}

  push(chunk: string): boolean {
    if (this.carry.length === 0) return this.run(chunk, 0);
    // Finish the carried line on a small string, then cut the chunk in place:
    // carry + chunk would be a rope that every search of the chunk goes through.
    const nl = chunk.indexOf('\n');
    if (nl === -1) return this.run(this.carry + chunk, 0);
    if (!this.run(this.carry + chunk.slice(0, nl + 1), 0)) return false;
    return this.run(chunk, nl + 1);
  }

  /** The lines of text[start…]; the unfinished last one is carried. */
  private run(text: string, start: number): boolean {
    let pos = start;
    const from = this.resumeAt;
    this.resumeAt = 0;
    const fields = this.fields;
    for (;;) {
      if (fields !== undefined) {
        // The usual line: the shape of the one before finds its end and its record at once.
        const record = fields.next(text, pos);
        if (record !== undefined && fields.end - pos <= this.maxChars) {
          if (!this.onRecord(record, fields.complete)) return false;
          pos = fields.end + 1;
          continue;
        }
      }
      const nl = text.indexOf('\n', from > pos ? from : pos);
      if (nl === -1) break;
      const record =
        fields !== undefined && nl - pos <= this.maxChars ? fields.learn(text, pos, nl) : undefined;
      if (record !== undefined) {
        if (!this.onRecord(record, fields?.complete)) return false;
      } else if (!this.line(text.slice(pos, nl))) {
        return false;
      }
      pos = nl + 1;
    }
    this.carry = pos === 0 ? text : text.slice(pos);
    if (this.carry.length > this.maxChars) throw errors.make('OverMaxRecordSize');
    this.resumeAt = this.carry.length;
    return true;
  }

  end(): boolean {
    const last = this.carry;
    this.carry = '';
    return this.line(last);
  }

  private line(text: string): boolean {
    if (text.length === 0) return true;
    if (text.length > this.maxChars) throw errors.make('OverMaxRecordSize');
    if (tooDeep(text, this.maxDepth)) {
      throw errors.make('JSONParsingError', 'The JSON nests too deeply.');
    }
    if (isBlank(text)) return true;
    return this.onValue(text);
  }
}

/** A cheap bound: nesting deeper than `max` needs more than `max` brackets. */
function mayNestDeeperThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const open of ['{', '[']) {
    for (let p = text.indexOf(open); p !== -1; p = text.indexOf(open, p + 1)) {
      if (++count > max) return true;
    }
  }
  return false;
}

function isBlank(text: string): boolean {
  const c = text.charCodeAt(0);
  // Fast answer for the usual line, which starts with a value.
  if (c === 123 || c === 91 || c === 34) return false;
  return text.trim().length === 0;
}
