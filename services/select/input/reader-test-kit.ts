/** Helpers shared by the reader tests (not a test file itself). */
import { isS3Error } from '../../../shared/errors.js';
import { compileQuery } from '../sql/index.js';
import type {
  CsvInputOptions,
  CsvRow,
  InputRecord,
  JsonInputOptions,
  OutputRow,
  Projection,
  ScanCounters,
  ScanRange,
  SelectValue,
} from '../types.js';
import { readCsv } from './csv-reader.js';
import { readJson } from './json-reader.js';

export const CSV: CsvInputOptions = {
  fileHeaderInfo: 'NONE',
  fieldDelimiter: ',',
  recordDelimiter: '\n',
  quoteCharacter: '"',
  quoteEscapeCharacter: '"',
  comments: '',
  allowQuotedRecordDelimiter: false,
};

export const ALL: Projection = { allColumns: true, names: new Set(), positions: new Set() };

/** `data` as Buffers of `size` bytes (a list of sizes cycles). */
export async function* chunksOf(
  data: Buffer | string,
  size: number | number[] = 65536,
): AsyncGenerator<Buffer> {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const sizes = typeof size === 'number' ? [size] : size;
  let k = 0;
  for (let i = 0; i < buf.length;) {
    const n = Math.max(1, sizes[k++ % sizes.length] ?? 1);
    yield buf.subarray(i, i + n);
    i += n;
  }
}

/** Splits `data` at the given byte offsets. */
export async function* splitAt(data: Buffer | string, ...cuts: number[]): AsyncGenerator<Buffer> {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let prev = 0;
  for (const c of [...cuts, buf.length]) {
    yield buf.subarray(prev, c);
    prev = c;
  }
}

export const newCounters = (): ScanCounters => ({ bytesScanned: 0, bytesProcessed: 0, bytesReturned: 0 });

export interface CsvResult {
  header: CsvRow | undefined;
  rows: CsvRow[];
  counters: ScanCounters;
}

export async function collectCsv(
  input: AsyncIterable<Buffer>,
  opts: Partial<CsvInputOptions> = {},
  extra: {
    projection?: Projection;
    scanRange?: ScanRange;
    inputOffset?: number;
    openHeader?: () => AsyncIterable<Buffer>;
    limit?: number;
  } = {},
): Promise<CsvResult> {
  const rows: CsvRow[] = [];
  const counters = newCounters();
  let header: CsvRow | undefined;
  await readCsv(
    input,
    { ...CSV, ...opts },
    {
      projection: extra.projection ?? ALL,
      sink: (r: InputRecord) => {
        rows.push([...(r as CsvRow)]);
        return extra.limit === undefined || rows.length < extra.limit;
      },
      bindHeader: (h) => {
        header = h;
      },
      counters,
      scanRange: extra.scanRange,
      inputOffset: extra.inputOffset,
      openHeader: extra.openHeader,
    },
  );
  return { header, rows, counters };
}

export async function collectJson(
  input: AsyncIterable<Buffer>,
  type: JsonInputOptions['type'],
  extra: { scanRange?: ScanRange; inputOffset?: number; limit?: number } = {},
): Promise<{ records: InputRecord[]; counters: ScanCounters }> {
  const records: InputRecord[] = [];
  const counters = newCounters();
  await readJson(
    input,
    { type },
    {
      projection: ALL,
      sink: (r) => {
        records.push(r);
        return extra.limit === undefined || records.length < extra.limit;
      },
      counters,
      scanRange: extra.scanRange,
      inputOffset: extra.inputOffset,
    },
  );
  return { records, counters };
}

/**
 * A query's rows (its aggregate row last) over JSON LINES through readJson,
 * in chunks of odd sizes; or the error code it fails with.
 */
export async function queryJsonLines(sql: string, input: string): Promise<OutputRow[] | string> {
  const q = compileQuery(sql, { format: 'JSON', csvHeader: 'NONE' });
  const rows: OutputRow[] = [];
  try {
    await readJson(
      chunksOf(input, [7, 64, 3]),
      { type: 'LINES' },
      {
        projection: q.projection,
        counters: newCounters(),
        sink: (r, complete) => {
          const row = q.process(r, complete);
          if (row !== undefined) rows.push(row);
          return !q.done;
        },
      },
    );
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
  const last = q.isAggregate ? q.finish() : undefined;
  return last === undefined ? rows : [...rows, last];
}

/** What queryJsonLines should give: the query over JSON.parse of each non-blank line, up to LIMIT. */
export function queryParsedLines(sql: string, input: string): OutputRow[] | string {
  const q = compileQuery(sql, { format: 'JSON', csvHeader: 'NONE' });
  const rows: OutputRow[] = [];
  try {
    for (const line of input.split('\n')) {
      if (q.done) break;
      if (line.trim() === '') continue; // blank lines are skipped
      const row = q.process(JSON.parse(line) as SelectValue);
      if (row !== undefined) rows.push(row);
    }
  } catch (e) {
    return (e as { code?: string }).code ?? 'JSONParsingError';
  }
  const last = q.isAggregate ? q.finish() : undefined;
  return last === undefined ? rows : [...rows, last];
}

/** The S3 error code a promise rejects with, or 'ok'; any other rejection is rethrown. */
export async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (isS3Error(e)) return e.code;
    throw e;
  }
}
