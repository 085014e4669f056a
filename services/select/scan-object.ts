/**
 * Feeds a stored object to the reader of its format:
 *
 * - CSV and JSON stream from the store (from a ScanRange's opening offset to
 *   the end of the object when one is given), counting the stored bytes into
 *   bytesScanned, then decompress; the reader counts bytesProcessed.
 * - Parquet reads by random access (footer, then only the column chunks the
 *   query needs) through one store.openRandomAccess per scan, closed when
 *   the scan ends; its reader counts both figures.
 *
 * Before each chunk reaches the reader, `demand()` is awaited, so the scan
 * runs at the pace the client reads the response.
 */
import { Readable } from 'node:stream';
import type { ObjectStore, ObjectVersion } from '../store/types.js';
import { decompressed, readCsv, readJson, scanRangeOpenOffset } from './input/reader.js';
import { objectAsRandomAccess, readParquet } from './parquet/index.js';
import type { InputSerialization } from './request.js';
import type { BatchSink, CompiledQuery, RecordSink, ScanCounters, ScanRange } from './types.js';

export interface ScanObjectContext {
  readonly store: ObjectStore;
  readonly version: ObjectVersion;
  readonly input: InputSerialization;
  readonly query: CompiledQuery;
  readonly scanRange: ScanRange | undefined;
  readonly sink: RecordSink;
  /** Columnar input (Parquet) hands batches here instead, when given. */
  readonly batchSink?: BatchSink | undefined;
  readonly counters: ScanCounters;
  /** Resolves when the client wants more output. */
  readonly demand: () => Promise<void>;
  readonly signal: AbortSignal;
  /** Cap on decompressed bytes (a gzip bomb guard); unlimited when absent. */
  readonly maxDecompressedBytes?: number;
}

/** The stored bytes from `offset` to the end, counted into bytesScanned as they arrive. */
async function* storedBytes(ctx: ScanObjectContext, offset: number): AsyncGenerator<Buffer> {
  const { store, version, counters, signal } = ctx;
  if (offset >= version.size) return;
  const range = offset > 0 ? { start: offset, end: version.size - 1 } : undefined;
  const stream = store.openObject(version, range, signal);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      counters.bytesScanned += chunk.length;
      yield chunk;
    }
  } finally {
    stream.destroy();
  }
}

/** `source`, handing each chunk on only when the client wants more output. */
async function* paced(source: AsyncIterable<Buffer>, demand: () => Promise<void>): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    await demand();
    yield chunk;
  }
}

async function scanParquet(ctx: ScanObjectContext): Promise<void> {
  const file = objectAsRandomAccess(ctx.store, ctx.version, ctx.counters, ctx.signal);
  const pacedFile = {
    size: file.size,
    read: async (start: number, endExclusive: number) => {
      await ctx.demand();
      return file.read(start, endExclusive);
    },
  };
  try {
    await readParquet(pacedFile, {
      query: ctx.query,
      sink: ctx.sink,
      ...(ctx.batchSink ? { batchSink: ctx.batchSink } : {}),
      counters: ctx.counters,
      signal: ctx.signal,
    });
  } finally {
    await file.close();
  }
}

/** Runs the whole scan; resolves when the input ends or the sink says stop. */
export async function scanObject(ctx: ScanObjectContext): Promise<void> {
  const { input, scanRange, query, sink, counters, signal } = ctx;
  if (input.format === 'Parquet') return scanParquet(ctx);
  const delimiter = input.format === 'CSV' ? input.csv.recordDelimiter : '\n';
  const offset = scanRange ? scanRangeOpenOffset(scanRange, delimiter) : 0;
  const limits =
    ctx.maxDecompressedBytes === undefined ? {} : { maxDecompressedBytes: ctx.maxDecompressedBytes };
  const stored = storedBytes(ctx, offset);
  // Uncompressed input is read straight from the store's stream: wrapping it
  // in a Readable would read up to 16 chunks (16 MiB) ahead of the reader.
  const body = input.compression === 'NONE' ? stored : decompressed(stored, input.compression, limits);
  try {
    const source = paced(body, ctx.demand);
    const common = {
      projection: query.projection,
      sink,
      counters,
      signal,
      ...(scanRange ? { scanRange, inputOffset: offset } : {}),
    };
    if (input.format === 'JSON') {
      await readJson(source, input.json, common);
      return;
    }
    await readCsv(source, input.csv, {
      ...common,
      bindHeader: (header) => query.bindHeader(header),
      openHeader: () => storedBytes(ctx, 0),
    });
  } finally {
    if (body instanceof Readable) body.destroy();
    else void body.return(undefined).catch(() => undefined);
  }
}
