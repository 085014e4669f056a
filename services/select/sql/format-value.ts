/**
 * How values are written out. CSV output is text: numbers in their shortest
 * round-trip form (2, 2.5, 0.30000000000000004), booleans true/false,
 * timestamps in the text form S3 Select prints (2007-02-23T12:14:33.079-08:00,
 * 2010T), NULL and MISSING as an empty field; lists and structs as JSON.
 * JSON output keeps numbers, booleans, lists and structs, prints timestamps as
 * strings, and leaves MISSING out (undefined, which the writer omits).
 */
import type { SelectValue } from '../types.js';
import { formatTimestamp } from './timestamp.js';
import { isTimestamp } from './values.js';

function formatNumber(v: number): string {
  if (Number.isFinite(v)) return String(v);
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

export function formatValue(v: SelectValue): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (isTimestamp(v)) return formatTimestamp(v);
  return JSON.stringify(toJsonValue(v), bigintReplacer);
}

/**
 * A value ready for JSON output. Integers beyond 2^53 (bigint) stay bigint so
 * no digit is lost: a JSON writer prints them as plain digits (JSON.stringify
 * alone throws on a bigint).
 */
export function toJsonValue(v: SelectValue): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER))
      return Number(v);
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    return v;
  }
  if (isTimestamp(v)) return formatTimestamp(v);
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : toJsonValue(x)));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, SelectValue>)) {
    if (x !== undefined) out[k] = toJsonValue(x);
  }
  return out;
}

/** For a list or struct inside a CSV field: bigints as numbers. */
function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}
