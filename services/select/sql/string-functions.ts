/**
 * The string functions of S3 Select, on characters (code points):
 * CHAR_LENGTH, LOWER, UPPER, SUBSTRING, TRIM.
 */
import type { SelectValue } from '../types.js';
import { evalError } from './sql-error.js';
import { textToNumber, typeName } from './values.js';

const SURROGATE = /[\ud800-\udfff]/;

export function stringArg(fn: string, v: SelectValue): string {
  if (typeof v === 'string') return v;
  throw evalError('IncorrectSqlFunctionArgumentType', `${fn} needs a string, not ${typeName(v)}.`);
}

export function numberArg(fn: string, v: SelectValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const n = textToNumber(v);
    if (n !== undefined) return n;
  }
  throw evalError('IncorrectSqlFunctionArgumentType', `${fn} needs a number, not ${typeName(v)}.`);
}

export function charLength(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * SUBSTRING(s, start[, length]), 1-based. As the S3 reference says: with no
 * length a start below 1 is 1; with a length, a start below 1 shortens the
 * length to start + length - 1 from position 1 (empty when that is < 1).
 */
export function substring(s: string, start: number, length: number | undefined): string {
  start = Math.trunc(start);
  if (length !== undefined) {
    length = Math.trunc(length);
    if (length < 0) throw evalError('IllegalSqlFunctionArgument', 'SUBSTRING length must not be negative.');
    if (start < 1) {
      length = start + length - 1;
      start = 1;
      if (length <= 0) return '';
    }
  } else if (start < 1) {
    start = 1;
  }
  if (!SURROGATE.test(s))
    return length === undefined ? s.slice(start - 1) : s.slice(start - 1, start - 1 + length);
  const chars = Array.from(s);
  return (length === undefined ? chars.slice(start - 1) : chars.slice(start - 1, start - 1 + length)).join(
    '',
  );
}

/** TRIM: removes any of `chars` (default a space) from the start, the end or both. */
export function trim(s: string, where: 'LEADING' | 'TRAILING' | 'BOTH', chars: string): string {
  const set = new Set(Array.from(chars));
  const cs = SURROGATE.test(s) ? Array.from(s) : s;
  let from = 0;
  let to = cs.length;
  if (where !== 'TRAILING') while (from < to && set.has(cs[from]!)) from++;
  if (where !== 'LEADING') while (to > from && set.has(cs[to - 1]!)) to--;
  return typeof cs === 'string' ? cs.slice(from, to) : cs.slice(from, to).join('');
}
