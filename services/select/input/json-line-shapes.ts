/**
 * JSON LINES records for a query that names its fields, without JSON.parse
 * building every key and string of every line: JSON.parse bounds the reader
 * at about 140 MB/s (issue 4 asks for more), and scanning characters in JS is
 * slower still, so the work goes to the native RegExp engine.
 *
 * The lines of a file nearly always share one shape: the same keys in the
 * same order. From a line that is an object whose values are strings of
 * printable ASCII without escapes, numbers, literals, or objects and arrays
 * of those one level deep (RFC 8259 grammar), the reader learns its shape
 * and compiles one sticky RegExp that matches exactly such lines with those
 * keys as written, in order, capturing the values of the keys the record
 * keeps (json-line-pattern.ts). One exec per line, at the line's start,
 * then validates the whole line, finds its end (the RegExp cannot pass a
 * line feed) and captures the values, and a generated object literal builds
 * the record. With the query's filterNames, that record holds only what
 * WHERE reads, and a second RegExp of the same shape captures the rest of a
 * line only when the query asks for it (complete()).
 *
 * The record holds what the engine could read from JSON.parse's object: the
 * keys whose lower case is a wanted name's lower case (the engine matches
 * unquoted names case-insensitively; several spellings stay, so it still
 * reports AmbiguousFieldName), and the keys isTimestamp reads. Values are
 * JSON.parse's: strings as written (they have no escapes), numbers rounded
 * as JSON.parse rounds them, a nested value by JSON.parse of its text. Any
 * other line (escapes, non-ASCII text, deeper nesting, duplicate keys,
 * invalid JSON) returns undefined and the caller uses JSON.parse, which
 * raises the error for an invalid line even when the wanted fields come first.
 */
import type { SelectValue } from '../types.js';
import { shapeFor, STR, VAL, wantedKeyOf, WS, type Shape, type ValueKind } from './json-line-pattern.js';

const MEMBER = `${STR}${WS}:${WS}${VAL}${WS}`;
/** Any line a shape could match. */
const SHAPED_LINE = new RegExp(`${WS}\\{${WS}(?:${MEMBER}(?:,${WS}${MEMBER})*)?\\}${WS}`, 'y');
/**
 * In a SHAPED_LINE, after its opening brace: a key (captured) and the colon
 * and whitespace after it, or a whole string, nested object or array, so
 * that the search never lands inside one.
 */
const TOP_KEY = new RegExp(
  `"([^"]*)"${WS}:${WS}|"[^"]*"|\\{(?:"[^"]*"|[^"{}])*\\}|\\[(?:"[^"]*"|[^"[\\]])*\\]`,
  'g',
);

/** Shapes remembered per reader; past this the reader learns no more. */
const MAX_SHAPES = 64;
/** After this many lines, give up on shapes if fewer than 3 in 4 lines had a known one. */
const TRIAL_LINES = 4096;

/** Names a record keeps, lower-cased, and their cache key (json-line-pattern.ts). */
interface Wanted {
  readonly names: ReadonlySet<string>;
  readonly key: string;
}

/** One key sequence: its record of the WHERE fields, and its whole record (the same Shape when one pass reads both). */
interface LineShape {
  readonly filter: Shape;
  readonly full: Shape;
}

type LineRecord = Record<string, SelectValue>;

export class JsonLineShapes {
  /** After next() returned a record: the index of the line feed that ends its line. */
  end = -1;
  /**
   * Set when records are read in two passes (see the constructor): the
   * record of the last line next() or learn() read, with every wanted name.
   */
  readonly complete: (() => LineRecord) | undefined;
  private readonly wanted: Wanted;
  private readonly filterWanted: Wanted | undefined;
  /** By key sequence; null: JSON.parse reads lines with these keys. */
  private readonly shapes = new Map<string, LineShape | null>();
  private current: LineShape | undefined;
  /** The last line read: text[from, end). */
  private text = '';
  private from = 0;
  private hits = 0;
  private misses = 0;
  private enabled = true;

  /**
   * `filterNames` (a subset of `names`, see Projection.filterNames): the
   * records next() and learn() return hold just those, and complete() reads
   * the rest of a line the query keeps. Most lines of a selective query fail
   * its WHERE, and each field a RegExp captures and converts costs (the
   * bench's projection read 25% faster capturing one field than three).
   */
  constructor(names: ReadonlySet<string>, filterNames?: ReadonlySet<string>) {
    this.wanted = wantedOf(names);
    const filter = filterNames === undefined ? undefined : wantedOf(filterNames);
    this.filterWanted = filter !== undefined && filter.key !== this.wanted.key ? filter : undefined;
    this.complete = this.filterWanted === undefined ? undefined : () => this.completed();
  }

  /**
   * The record of the line that starts at `from` when it has the shape of
   * the line before and ends with a line feed (then at `end`); else
   * undefined: find the line's end and call learn().
   */
  next(text: string, from: number): LineRecord | undefined {
    const shape = this.current;
    if (shape === undefined) return undefined;
    // The RegExp cannot pass a line feed, so one right after the match ends the line.
    const pattern = shape.filter.pattern;
    pattern.lastIndex = from;
    const m = pattern.exec(text);
    if (m === null || text.charCodeAt(pattern.lastIndex) !== 10) return undefined;
    this.hits++;
    this.text = text;
    this.from = from;
    this.end = pattern.lastIndex;
    return shape.filter.build(m);
  }

  /** The record of the line text[from, to) that next() did not read, or undefined: parse it with JSON.parse. */
  learn(text: string, from: number, to: number): LineRecord | undefined {
    if (!this.enabled) return undefined;
    if (++this.misses * 4 > this.hits + this.misses && this.hits + this.misses >= TRIAL_LINES) {
      this.enabled = false; // lines of many shapes: JSON.parse is cheaper than learning
      this.current = undefined;
      return undefined;
    }
    const shape = this.shapeOf(text, from, to);
    if (shape === undefined) return undefined;
    this.current = shape;
    const pattern = shape.filter.pattern;
    pattern.lastIndex = from;
    const m = pattern.exec(text);
    if (m === null || pattern.lastIndex !== to) return undefined;
    this.text = text;
    this.from = from;
    this.end = to;
    return shape.filter.build(m);
  }

  /** complete(): the whole record of the last line read. */
  private completed(): LineRecord {
    const { text, from, end } = this;
    const full = this.current!.full;
    full.pattern.lastIndex = from;
    const m = full.pattern.exec(text);
    // Both RegExps of a shape match the same lines; JSON.parse only if that were ever untrue.
    if (m === null || full.pattern.lastIndex !== end) return JSON.parse(text.slice(from, end)) as LineRecord;
    return full.build(m);
  }

  /** The shape of a line, learnt if new; undefined when no shape can match the line. */
  private shapeOf(text: string, from: number, to: number): LineShape | undefined {
    SHAPED_LINE.lastIndex = from;
    if (!SHAPED_LINE.test(text) || SHAPED_LINE.lastIndex !== to) return undefined;
    const keys: string[] = [];
    let kinds = '';
    TOP_KEY.lastIndex = text.indexOf('{', from) + 1;
    for (let m = TOP_KEY.exec(text); m !== null && m.index < to; m = TOP_KEY.exec(text)) {
      if (m[1] === undefined) continue;
      keys.push(m[1]);
      kinds += kindAt(text.charCodeAt(TOP_KEY.lastIndex));
    }
    const signature = JSON.stringify(keys);
    const known = this.shapes.get(signature);
    if (known !== undefined) return known ?? undefined;
    if (this.shapes.size >= MAX_SHAPES) return undefined;
    const full = shapeFor(this.wanted.names, this.wanted.key, keys, kinds);
    const fw = this.filterWanted;
    const filter = fw === undefined ? full : shapeFor(fw.names, fw.key, keys, kinds);
    const shape = full === undefined || filter === undefined ? undefined : { filter, full };
    this.shapes.set(signature, shape ?? null);
    return shape;
  }
}

function wantedOf(names: ReadonlySet<string>): Wanted {
  const lower = new Set([...names].map((n) => n.toLowerCase()));
  return { names: lower, key: wantedKeyOf(lower) };
}

/** The kind of a value that starts with character code `c`. */
function kindAt(c: number): ValueKind {
  if (c === 34) return 's';
  return c === 45 || (c >= 48 && c <= 57) ? 'n' : 'o';
}
