/**
 * CAST(x AS type). NULL and MISSING cast to themselves; a value that does not
 * convert fails with CastFailed, a runtime error (an error event mid-stream).
 *
 * - INT: integers as written; decimal text and numbers are truncated toward
 *   zero ('3.7' → 3); booleans are 1 / 0.
 * - FLOAT, DECIMAL: numeric text (surrounding blanks ignored); booleans 1 / 0.
 * - STRING: the text form of the value (as CSV output writes it).
 * - BOOL: 'true' / 'false' in any case; numbers: 0 is false, others true.
 * - TIMESTAMP: the text forms TO_TIMESTAMP reads.
 */
import type { SelectValue } from '../types.js';
import type { CastType } from './ast.js';
import { formatValue } from './format-value.js';
import { evalError } from './sql-error.js';
import { parseTimestamp } from './timestamp.js';
import { isTimestamp, textToNumber, typeName } from './values.js';

function castFailed(v: SelectValue, type: string): Error {
  const shown = typeof v === 'string' ? `'${v.length > 64 ? `${v.slice(0, 64)}…` : v}'` : typeName(v);
  return evalError('CastFailed', `Cannot CAST ${shown} AS ${type}.`);
}

/** CAST(text AS INT), the hot path of CSV filters: digits are read without a regex or allocation. */
export function castTextToInt(s: string): number {
  const n = s.length;
  if (n > 0 && n < 16) {
    let i = 0;
    let neg = false;
    const c0 = s.charCodeAt(0);
    if (c0 === 45 || c0 === 43) {
      neg = c0 === 45;
      i = 1;
    }
    if (i < n) {
      let v = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        v = v * 10 + c;
      }
      if (i === n) return neg ? -v : v;
    }
  }
  const num = textToNumber(s);
  if (num === undefined || !Number.isFinite(num)) throw castFailed(s, 'INT');
  return Math.trunc(num);
}

export function castToInt(v: SelectValue): SelectValue {
  if (typeof v === 'string') return castTextToInt(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw castFailed(v, 'INT');
    return Math.trunc(v);
  }
  if (v === null || v === undefined || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw castFailed(v, 'INT');
}

export function castToFloat(v: SelectValue, type = 'FLOAT'): SelectValue {
  if (typeof v === 'string') {
    const n = textToNumber(v);
    if (n === undefined) throw castFailed(v, type);
    return n;
  }
  if (typeof v === 'number' || v === null || v === undefined) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw castFailed(v, type);
}

export function castToString(v: SelectValue): SelectValue {
  if (typeof v === 'string' || v === null || v === undefined) return v;
  return formatValue(v);
}

export function castToBool(v: SelectValue): SelectValue {
  if (typeof v === 'boolean' || v === null || v === undefined) return v;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
    throw castFailed(v, 'BOOL');
  }
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  throw castFailed(v, 'BOOL');
}

export function castToTimestamp(v: SelectValue): SelectValue {
  if (v === null || v === undefined || isTimestamp(v)) return v;
  if (typeof v === 'string') {
    const ts = parseTimestamp(v);
    if (ts === undefined) throw castFailed(v, 'TIMESTAMP');
    return ts;
  }
  throw castFailed(v, 'TIMESTAMP');
}

export const CASTS: Record<CastType, (v: SelectValue) => SelectValue> = {
  INT: castToInt,
  FLOAT: (v) => castToFloat(v, 'FLOAT'),
  DECIMAL: (v) => castToFloat(v, 'DECIMAL'),
  STRING: castToString,
  BOOL: castToBool,
  TIMESTAMP: castToTimestamp,
};
