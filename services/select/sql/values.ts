/**
 * Value semantics: numbers read from text, ordering and equality between
 * values, and the static types the compiler tracks.
 *
 * CSV fields are untyped text. As MinIO does (and as S3 users expect from
 * `WHERE s._3 > 500`), a CSV field compared with a number is read as a number
 * when its text is numeric; text that is not numeric is not comparable with a
 * number (= is false, <> is true, < > <= >= are NULL, so the row is filtered
 * out). String literals and JSON strings are never read as numbers: '5' = 5
 * is false, as in PartiQL.
 */
import type { SelectTimestamp, SelectValue } from '../types.js';

/**
 * What the compiler knows of an expression's values: 'text' is a CSV field
 * (a string that reads as a number where a number is wanted), 'int' and
 * 'float' are numbers whose integer-ness is known, 'any' is unknown.
 */
export type StaticType = 'text' | 'int' | 'float' | 'number' | 'string' | 'bool' | 'timestamp' | 'any';

const PRECISIONS = new Set(['year', 'month', 'day', 'minute', 'second', 'fraction']);

/**
 * A SelectTimestamp. The fields are checked, not just `kind`: a JSON record
 * may well hold {"kind": "timestamp"}, and must stay a struct.
 */
export function isTimestamp(v: unknown): v is SelectTimestamp {
  if (typeof v !== 'object' || v === null || (v as { kind?: unknown }).kind !== 'timestamp') return false;
  const t = v as Partial<Record<keyof SelectTimestamp, unknown>>;
  return (
    Number.isFinite(t.epochMs) &&
    Number.isInteger(t.nanos) &&
    Number.isInteger(t.offsetMinutes) &&
    PRECISIONS.has(t.precision as string)
  );
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads text as a number: integers and decimals with an optional exponent,
 * surrounding blanks ignored. undefined when the text is not a number.
 */
export function textToNumber(s: string): number | undefined {
  // Fast path: [sign] digits [. digits] with at most 15 digits. The digits as
  // an integer divided by a power of ten is exact and then correctly rounded,
  // so the result is the same double as Number(s) (Clinger's fast path).
  const n = s.length;
  if (n > 0 && n < 17) {
    let i = 0;
    let neg = false;
    const c0 = s.charCodeAt(0);
    if (c0 === 45 || c0 === 43) {
      neg = c0 === 45;
      i = 1;
    }
    const digitsStart = i;
    let v = 0;
    let scale = -1;
    for (; i < n; i++) {
      const ch = s.charCodeAt(i);
      const c = ch - 48;
      if (c >= 0 && c <= 9) {
        v = v * 10 + c;
        if (scale >= 0) scale++;
      } else if (ch === 46 && scale < 0) {
        scale = 0;
      } else {
        break;
      }
    }
    const digits = i - digitsStart - (scale >= 0 ? 1 : 0);
    if (i === n && digits > 0 && digits <= 15) {
      const r = scale > 0 ? v / POW10[scale]! : v;
      return neg ? -r : r;
    }
  }
  const t = s.trim();
  if (!NUMBER_RE.test(t)) return undefined;
  return Number(t);
}

/** True when numeric text is written as a decimal (1.5, 1e3), for integer vs float arithmetic. */
export function textIsFloat(s: string): boolean {
  return /[.eE]/.test(s);
}

function compareNumbers(a: number | bigint, b: number | bigint): number {
  // Mixed number/bigint compare correctly with < and >.
  return a < b ? -1 : a > b ? 1 : a == b ? 0 : NaN;
}

function compareTimestamps(a: SelectTimestamp, b: SelectTimestamp): number {
  if (a.epochMs !== b.epochMs) return a.epochMs < b.epochMs ? -1 : 1;
  return a.nanos === b.nanos ? 0 : a.nanos < b.nanos ? -1 : 1;
}

/**
 * Orders two present values: negative, zero or positive; undefined when they
 * are not comparable. `textNumbers`: a string may be read as a number when the
 * other side is one (a CSV field).
 */
export function compareValues(a: SelectValue, b: SelectValue, textNumbers: boolean): number | undefined {
  if (typeof a === 'number' || typeof a === 'bigint') {
    if (typeof b === 'number' || typeof b === 'bigint') return compareNumbers(a, b);
    if (textNumbers && typeof b === 'string') {
      const n = textToNumber(b);
      return n === undefined ? undefined : compareNumbers(a, n);
    }
    return undefined;
  }
  if (typeof a === 'string') {
    if (typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
    if (textNumbers && (typeof b === 'number' || typeof b === 'bigint')) {
      const n = textToNumber(a);
      return n === undefined ? undefined : compareNumbers(n, b);
    }
    return undefined;
  }
  if (typeof a === 'boolean') return typeof b === 'boolean' ? Number(a) - Number(b) : undefined;
  if (isTimestamp(a)) return isTimestamp(b) ? compareTimestamps(a, b) : undefined;
  return undefined;
}

/** Equality of two present values (deep for lists and structs); false when not comparable. */
export function valuesEqual(a: SelectValue, b: SelectValue, textNumbers: boolean): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => valuesEqual(x, b[i], textNumbers));
  }
  if (typeof a === 'object' && a !== null && !isTimestamp(a)) {
    if (typeof b !== 'object' || b === null || Array.isArray(b) || isTimestamp(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b as object);
    if (ka.length !== kb.length) return false;
    const bo = b as Record<string, SelectValue>;
    return ka.every(
      (k) => Object.hasOwn(bo, k) && valuesEqual((a as Record<string, SelectValue>)[k], bo[k], textNumbers),
    );
  }
  return compareValues(a, b, textNumbers) === 0;
}

/** A readable type name for error messages. */
export function typeName(v: SelectValue): string {
  if (v === undefined) return 'MISSING';
  if (v === null) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return 'NUMBER';
  if (typeof v === 'string') return 'STRING';
  if (typeof v === 'boolean') return 'BOOL';
  if (isTimestamp(v)) return 'TIMESTAMP';
  return Array.isArray(v) ? 'LIST' : 'STRUCT';
}
