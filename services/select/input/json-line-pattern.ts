/**
 * The sticky RegExp and record builder of one JSON LINES shape (a key
 * sequence; see json-line-shapes.ts), and the RFC 8259 grammar they are
 * written in: strings of printable ASCII without escapes, numbers, literals,
 * and objects and arrays of those one level deep.
 *
 * Compiled shapes are kept per (wanted names, keys, value kinds) for the whole
 * thread, not per reader: a parallel scan runs one reader per 2 MiB piece,
 * and a RegExp or builder made afresh for each piece starts cold (irregexp
 * interprets a new RegExp before compiling it, V8 interprets a new function
 * before optimizing it), which cost ~10-20% of a JSON LINES scan.
 */
import type { SelectValue } from '../types.js';
import { jsonNumber } from './json-number.js';

const STR_BODY = '[\\x20\\x21\\x23-\\x5b\\x5d-\\x7f]*';
export const STR = `"${STR_BODY}"`;
const NUM = '-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?';
/**
 * RFC 8259 whitespace, less the line feed that ends the line. Written as an
 * optional run rather than `[ \t\r]*`, which matches the same text: irregexp
 * sets up a loop for a star even where there is no space, which is almost
 * everywhere, and the bench's lines matched ~20% faster this way.
 */
export const WS = '(?:[ \\t\\r]+)?';
const SCALAR = `(?:${STR}|${NUM}|true|false|null)`;
/** An object or array one level deep: its members are scalars. */
const NESTED =
  `\\{${WS}(?:${STR}${WS}:${WS}${SCALAR}${WS}(?:,${WS}${STR}${WS}:${WS}${SCALAR}${WS})*)?\\}` +
  `|\\[${WS}(?:${SCALAR}${WS}(?:,${WS}${SCALAR}${WS})*)?\\]`;
export const VAL = `(?:${SCALAR}|${NESTED})`;
const NOT_STR = `${NUM}|true|false|null|${NESTED}`;
const NOT_NUM = `${STR}|true|false|null|${NESTED}`;

/**
 * What a key's value was on the line a shape was learnt from: a string, a
 * number, or anything else. It only orders the RegExp's alternatives (the
 * usual kind is tried first, and a string is captured without its quotes);
 * every member still accepts any value.
 */
export type ValueKind = 's' | 'n' | 'o';

export type Build = (m: RegExpExecArray) => Record<string, SelectValue>;

export interface Shape {
  /** Sticky; matches a whole line of the shape, not the line feed after it. */
  readonly pattern: RegExp;
  readonly build: Build;
}

/** Keys isTimestamp reads: kept, so that the engine sees the same shape. */
const TIMESTAMP_KEYS: ReadonlySet<string> = new Set([
  'kind',
  'epochMs',
  'nanos',
  'offsetMinutes',
  'precision',
]);

/** Wider objects are left to JSON.parse (the RegExp grows with the keys). */
const MAX_KEYS = 256;
/** Shapes kept per thread; past this the cache starts again. */
const MAX_CACHED = 256;
/** null: no shape can read lines with these keys (JSON.parse must). */
const cache = new Map<string, Shape | null>();

/**
 * The shape of a key sequence for readers that keep `wantedKey`'s names
 * (see wantedKeyOf), from the thread's cache or compiled; undefined when
 * JSON.parse must read such lines.
 */
export function shapeFor(
  wanted: ReadonlySet<string>,
  wantedKey: string,
  keys: readonly string[],
  kinds: string,
): Shape | undefined {
  const id = `${wantedKey}\n${kinds}\n${JSON.stringify(keys)}`;
  let shape = cache.get(id);
  if (shape === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    shape = compileShape(keys, kinds, wanted) ?? null;
    cache.set(id, shape);
  }
  return shape ?? undefined;
}

/** A cache key for a set of lower-cased wanted names. */
export function wantedKeyOf(wanted: ReadonlySet<string>): string {
  return JSON.stringify([...wanted].sort());
}

function compileShape(
  keys: readonly string[],
  kinds: string,
  wanted: ReadonlySet<string>,
): Shape | undefined {
  if (keys.length > MAX_KEYS || new Set(keys).size !== keys.length) return undefined; // duplicates: last wins
  const keeps = (key: string) => wanted.has(key.toLowerCase()) || TIMESTAMP_KEYS.has(key);
  if (keys.some((key) => key === '__proto__' && keeps(key))) return undefined; // a literal would set the prototype
  const members: string[] = [];
  const fields: string[] = [];
  let group = 0; // capture groups so far
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const kind = kinds[i] as ValueKind;
    let value: string;
    if (!keeps(key)) {
      value = kind === 'n' ? `(?:${NUM}|${NOT_NUM})` : VAL;
    } else {
      let read: string;
      if (kind === 's') {
        // Its contents are the string: the grammar allows no escapes in them.
        value = `(?:"(${STR_BODY})"|(${NOT_STR}))`;
        read = `m[${group + 1}] ?? value(m[${group + 2}])`;
        group += 2;
      } else if (kind === 'n') {
        value = `(?:(${NUM})|(${NOT_NUM}))`;
        read = `m[${group + 1}] !== undefined ? num(m[${group + 1}]) : value(m[${group + 2}])`;
        group += 2;
      } else {
        value = `(${VAL})`;
        read = `value(m[${group + 1}])`;
        group += 1;
      }
      // Keys enter the source only through JSON.stringify, which always yields a valid JS string literal.
      fields.push(`${JSON.stringify(key)}: ${read}`);
    }
    members.push(`"${escapeRegExp(key)}"${WS}:${WS}${value}${WS}`);
  }
  const pattern = new RegExp(`${WS}\\{${WS}${members.join(`,${WS}`)}\\}${WS}`, 'y');
  const make = new Function('value', 'num', `return (m) => ({ ${fields.join(', ')} });`) as (
    value: (text: string) => SelectValue,
    num: (text: string) => number,
  ) => Build;
  return { pattern, build: make(valueOf, jsonNumber) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** A captured value: a string without escapes, a nested value, a literal or a number. */
function valueOf(text: string): SelectValue {
  const c = text.charCodeAt(0);
  if (c === 34) return text.slice(1, -1);
  if (c === 123 || c === 91) return JSON.parse(text) as SelectValue; // valid: the shape matched it
  if (c === 116) return true;
  if (c === 102) return false;
  if (c === 110) return null;
  return jsonNumber(text);
}
