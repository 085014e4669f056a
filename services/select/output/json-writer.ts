/**
 * JSON output of SelectObjectContent: each row as one JSON object
 * {"name": value, …} in SELECT-list order, followed by RecordDelimiter
 * (default "\n"). A MISSING value (toJsonValue → undefined) is left out of the
 * object, as S3 does; a repeated name is written twice, as selected. BigInt
 * values are written as JSON numbers with all their digits.
 * An output record over 1 MB → OverMaxRecordSize.
 */
import { toJsonValue } from '../sql/index.js';
import { SELECT_LIMITS, type JsonOutputOptions, type RowWriter } from '../types.js';
import { createRowBuffer } from './row-buffer.js';

export function createJsonWriter(
  opts: JsonOutputOptions,
  maxRecordChars: number = SELECT_LIMITS.maxRecordBytes,
): RowWriter {
  return createRowBuffer(
    ({ names, values }) => {
      let line = '{';
      for (let i = 0; i < values.length; i++) {
        const v = toJsonValue(values[i]);
        if (v === undefined) continue;
        if (line.length > 1) line += ',';
        line += JSON.stringify(names[i] ?? `_${i + 1}`) + ':' + jsonText(v);
      }
      return line + '}';
    },
    opts.recordDelimiter,
    maxRecordChars,
  );
}

/** JSON text of a value; JSON.stringify unless a BigInt is in it. */
export function jsonText(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  try {
    return JSON.stringify(v) ?? 'null';
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return withBigInts(v);
  }
}

function withBigInts(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v))
    return '[' + v.map((x) => (x === undefined ? 'null' : withBigInts(x))).join(',') + ']';
  if (v !== null && typeof v === 'object') {
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v)) {
      if (x !== undefined) parts.push(JSON.stringify(k) + ':' + withBigInts(x));
    }
    return '{' + parts.join(',') + '}';
  }
  return JSON.stringify(v) ?? 'null';
}
