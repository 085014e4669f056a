/**
 * The buffering both SelectObjectContent writers share: a writer renders each
 * row as one record, and the buffer checks its size, appends the record
 * delimiter and keeps the text until the caller takes it as UTF-8 bytes.
 * A record over `maxRecordChars` (1 MB by default) → OverMaxRecordSize.
 */
import { errors } from '../../../shared/errors.js';
import type { OutputRow, RowWriter } from '../types.js';

export function createRowBuffer(
  record: (row: OutputRow) => string,
  recordDelimiter: string,
  maxRecordChars: number,
): RowWriter {
  let parts: string[] = [];
  let pending = 0;
  return {
    write(row: OutputRow): void {
      let line = record(row);
      if (line.length > maxRecordChars) throw errors.make('OverMaxRecordSize');
      line += recordDelimiter;
      parts.push(line);
      pending += line.length;
    },
    get pending() {
      return pending;
    },
    take(): Buffer {
      const out = Buffer.from(parts.join(''), 'utf8');
      parts = [];
      pending = 0;
      return out;
    },
  };
}
