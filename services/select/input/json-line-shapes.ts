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
 * keeps. One exec per line then both validates the whole line and finds the
 * values, and a generated object literal builds the record.
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

const STR = '"[\\x20\\x21\\x23-\\x5b\\x5d-\\x7f]*"';
const NUM = '-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?';
/** RFC 8259 whitespace, less the line feed that ends the line. */
const WS = '[ \\t\\r]*';
const SCALAR = `(?:${STR}|${NUM}|true|false|null)`;
/** An object or array one level deep: its members are scalars. */
const NESTED =
  `\\{${WS}(?:${STR}${WS}:${WS}${SCALAR}${WS}(?:,${WS}${STR}${WS}:${WS}${SCALAR}${WS})*)?\\}` +
  `|\\[${WS}(?:${SCALAR}${WS}(?:,${WS}${SCALAR}${WS})*)?\\]`;
const VAL = `(?:${SCALAR}|${NESTED})`;
const MEMBER = `${STR}${WS}:${WS}${VAL}${WS}`;
/** Any line a shape could match. */
const SHAPED_LINE = new RegExp(`${WS}\\{${WS}(?:${MEMBER}(?:,${WS}${MEMBER})*)?\\}${WS}`, 'y');
/**
 * In a SHAPED_LINE, after its opening brace: a key (captured), or a whole
 * string, nested object or array, so that the search never lands inside one.
 */
const TOP_KEY = new RegExp(
  `"([^"]*)"${WS}:|"[^"]*"|\\{(?:"[^"]*"|[^"{}])*\\}|\\[(?:"[^"]*"|[^"[\\]])*\\]`,
  'g',
);

/** Keys isTimestamp reads: kept, so that the engine sees the same shape. */
const TIMESTAMP_KEYS: ReadonlySet<string> = new Set([
  'kind',
  'epochMs',
  'nanos',
  'offsetMinutes',
  'precision',
]);

/** Shapes remembered per reader; past this the reader learns no more. */
const MAX_SHAPES = 64;
/** Wider objects are left to JSON.parse (the RegExp grows with the keys). */
const MAX_KEYS = 256;
/** After this many lines, give up on shapes if fewer than 3 in 4 lines had a known one. */
const TRIAL_LINES = 4096;

type Build = (m: RegExpExecArray) => Record<string, SelectValue>;

interface Shape {
  readonly pattern: RegExp;
  readonly build: Build;
}

export class JsonLineShapes {
  private readonly wanted: ReadonlySet<string>;
  private readonly shapes = new Map<string, Shape | null>();
  private current: Shape | undefined;
  private lines = 0;
  private misses = 0;
  private enabled = true;

  constructor(names: ReadonlySet<string>) {
    this.wanted = new Set([...names].map((n) => n.toLowerCase()));
  }

  /** The record of the line text[from, to), or undefined: parse it with JSON.parse. */
  record(text: string, from: number, to: number): Record<string, SelectValue> | undefined {
    if (!this.enabled) return undefined;
    this.lines++;
    let shape = this.current;
    if (shape !== undefined) {
      const m = matchAt(shape.pattern, text, from, to);
      if (m !== null) return shape.build(m);
    }
    if (++this.misses * 4 > this.lines && this.lines >= TRIAL_LINES) {
      this.enabled = false; // lines of many shapes: JSON.parse is cheaper than learning
      return undefined;
    }
    shape = this.shapeOf(text, from, to);
    if (shape === undefined) return undefined;
    this.current = shape;
    const m = matchAt(shape.pattern, text, from, to);
    return m === null ? undefined : shape.build(m);
  }

  /** The shape of a line, learnt if new; undefined when no shape can match the line. */
  private shapeOf(text: string, from: number, to: number): Shape | undefined {
    SHAPED_LINE.lastIndex = from;
    if (!SHAPED_LINE.test(text) || SHAPED_LINE.lastIndex !== to) return undefined;
    const keys: string[] = [];
    TOP_KEY.lastIndex = text.indexOf('{', from) + 1;
    for (let m = TOP_KEY.exec(text); m !== null && m.index < to; m = TOP_KEY.exec(text)) {
      if (m[1] !== undefined) keys.push(m[1]);
    }
    const signature = JSON.stringify(keys);
    const known = this.shapes.get(signature);
    if (known !== undefined) return known ?? undefined;
    if (this.shapes.size >= MAX_SHAPES) return undefined;
    const shape = compileShape(keys, this.wanted);
    this.shapes.set(signature, shape ?? null);
    return shape;
  }
}

function matchAt(pattern: RegExp, text: string, from: number, to: number): RegExpExecArray | null {
  pattern.lastIndex = from;
  const m = pattern.exec(text);
  return m !== null && pattern.lastIndex === to ? m : null;
}

/** The RegExp and record builder of one key sequence, or undefined when JSON.parse must do. */
function compileShape(keys: readonly string[], wanted: ReadonlySet<string>): Shape | undefined {
  if (keys.length > MAX_KEYS || new Set(keys).size !== keys.length) return undefined; // duplicates: last wins
  const members: string[] = [];
  const fields: string[] = [];
  for (const key of keys) {
    const keep = wanted.has(key.toLowerCase()) || TIMESTAMP_KEYS.has(key);
    if (keep && key === '__proto__') return undefined; // a literal would set the prototype
    const name = `"${escapeRegExp(key)}"${WS}:${WS}`;
    if (keep) {
      fields.push(`${JSON.stringify(key)}: value(m[${fields.length + 1}])`);
      members.push(`${name}(${VAL})${WS}`);
    } else {
      members.push(`${name}${VAL}${WS}`);
    }
  }
  const body = members.length === 0 ? '' : members.join(`,${WS}`);
  const pattern = new RegExp(`${WS}\\{${WS}${body}\\}${WS}`, 'y');
  // Keys enter the source only through JSON.stringify, which always yields a valid JS string literal.
  const make = new Function('value', 'm', `return { ${fields.join(', ')} };`) as (
    value: (text: string) => SelectValue,
    m: RegExpExecArray,
  ) => Record<string, SelectValue>;
  return { pattern, build: (m) => make(valueOf, m) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** A captured value: a string without escapes, a literal or a number. */
function valueOf(text: string): SelectValue {
  const c = text.charCodeAt(0);
  if (c === 34) return text.slice(1, -1);
  if (c === 123 || c === 91) return JSON.parse(text) as SelectValue; // valid: the shape matched it
  if (c === 116) return true;
  if (c === 102) return false;
  if (c === 110) return null;
  return numberOf(text);
}

/** 10^k exactly, for k up to 15. */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * A JSON number as JSON.parse reads it. Up to 15 digits without an exponent:
 * the digits as an integer and 10^k are both exact, so their one division
 * rounds correctly, to the double Number() gives (Clinger's fast path).
 * Otherwise Number(), which rounds JSON numbers as JSON.parse does.
 */
function numberOf(text: string): number {
  const n = text.length;
  const neg = text.charCodeAt(0) === 45;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (let i = neg ? 1 : 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 46) {
      fraction = 0;
    } else {
      return Number(text); // an exponent
    }
  }
  if (digits > 15) return Number(text);
  const v = fraction > 0 ? mantissa / POW10[fraction]! : mantissa;
  return neg ? -v : v;
}
