/**
 * One piece of a parallel scan, as a worker thread runs it: the records of
 * `bytes` (whole records, cut at record delimiters by the main thread) through
 * the same reader, query and writer as the sequential path.
 *
 * A piece that does not start the object is read as a ScanRange that starts
 * at its first byte (input = the delimiter that ends the previous record,
 * then the piece), so the reader's own rules apply: no header line is looked
 * for in it, FileHeaderInfo USE binds the object's header (given as `header`,
 * the object's bytes up to the end of its header record), and a byte order
 * mark only counts at the start of the object.
 */
import { isS3Error } from '../../../shared/errors.js';
import { readCsv, readJson } from '../input/reader.js';
import { createCsvWriter } from '../output/csv-writer.js';
import { createJsonWriter } from '../output/json-writer.js';
import type { InputSerialization, OutputSerialization } from '../request.js';
import { compileQuery } from '../sql/index.js';
import type { AggregatePart } from '../sql/compiled.js';
import type { InputRecord, OutputRow, RowWriter, ScanCounters } from '../types.js';

export interface ChunkJob {
  readonly expression: string;
  /** CSV or JSON LINES, uncompressed. */
  readonly input: InputSerialization;
  readonly output: OutputSerialization;
  /** Object offset of bytes[0]: 0, or just after a record delimiter. */
  readonly offset: number;
  readonly bytes: Uint8Array;
  /** CSV with FileHeaderInfo USE and offset > 0: the object's bytes through its header record. */
  readonly header: Uint8Array | undefined;
  /** rows: serialized output rows; aggregate: the parts of the aggregates. */
  readonly mode: 'rows' | 'aggregate';
}

export interface ChunkError {
  readonly code: string;
  readonly message: string;
  /** False: not an S3Error (an internal failure, reported as InternalError). */
  readonly s3: boolean;
}

export interface ChunkResult {
  /** rows: the output bytes of the piece's rows (those before an error included). */
  readonly output: Uint8Array | undefined;
  /** aggregate: what each aggregate folded, when the piece ran to the end. */
  readonly parts?: AggregatePart[];
  /** The piece's buffer, handed back for reuse. */
  readonly piece?: ArrayBuffer;
  readonly error: ChunkError | undefined;
}

function createWriter(output: OutputSerialization): RowWriter {
  return output.format === 'CSV' ? createCsvWriter(output.csv) : createJsonWriter(output.json);
}

async function* once(...parts: Uint8Array[]): AsyncGenerator<Buffer> {
  for (const p of parts) if (p.length > 0) yield Buffer.from(p.buffer, p.byteOffset, p.length);
}

function chunkError(e: unknown): ChunkError {
  if (isS3Error(e) && e.status < 500) return { code: e.code, message: e.message, s3: true };
  return { code: 'InternalError', message: e instanceof Error ? e.message : String(e), s3: false };
}

export async function runChunk(job: ChunkJob): Promise<ChunkResult> {
  const { input } = job;
  if (input.format === 'Parquet') {
    return {
      output: undefined,
      error: chunkError(new Error('Parquet is not scanned in pieces')),
    };
  }
  const writer = createWriter(job.output);
  // Byte counts are the main thread's: it knows the piece sizes exactly.
  const counters: ScanCounters = { bytesScanned: 0, bytesProcessed: 0, bytesReturned: 0 };
  try {
    const query = compileQuery(job.expression, {
      format: input.format,
      csvHeader: input.format === 'CSV' ? input.csv.fileHeaderInfo : 'NONE',
      recordValues: job.mode === 'aggregate',
    });
    const emit = (row: OutputRow): void => writer.write(row);
    const sink = query.multiRow
      ? (record: Parameters<typeof query.process>[0]) => {
          query.processEach(record, emit);
          return !query.done;
        }
      : (record: Parameters<typeof query.process>[0], complete?: () => InputRecord) => {
          const row = query.process(record, complete);
          if (row !== undefined) emit(row);
          return !query.done;
        };
    const delimiter = Buffer.from(input.format === 'CSV' ? input.csv.recordDelimiter : '\n', 'utf8');
    const source = job.offset === 0 ? once(job.bytes) : once(delimiter, job.bytes);
    const range =
      job.offset === 0
        ? {}
        : { scanRange: { start: job.offset, end: undefined }, inputOffset: job.offset - delimiter.length };
    const common = { projection: query.projection, sink, counters, ...range };
    if (input.format === 'JSON') {
      await readJson(source, input.json, common);
    } else {
      const header = job.header;
      await readCsv(source, input.csv, {
        ...common,
        bindHeader: (h) => query.bindHeader(h),
        ...(header === undefined ? {} : { openHeader: () => once(header) }),
      });
    }
    if (job.mode === 'aggregate')
      return { output: undefined, parts: query.aggregateParts(), error: undefined };
    return { output: writer.take(), error: undefined };
  } catch (e) {
    let output: Uint8Array | undefined;
    try {
      output = job.mode === 'rows' ? writer.take() : undefined;
    } catch {
      // The writer itself failed (an oversized output record); the error says why.
    }
    return { output, error: chunkError(e) };
  }
}
