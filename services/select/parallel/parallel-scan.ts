/**
 * The parallel scan of a large uncompressed CSV or JSON LINES object:
 *
 *   the request's thread reads the object through the store's stream (the
 *   only way select reaches stored bytes), cuts it into pieces of about
 *   pool.pieceBytes that end just after a record delimiter, and moves each
 *   piece (its ArrayBuffer is transferred, not copied) to a worker thread,
 *   which runs the same reader → query → writer on it (scan-chunk.ts);
 *   results are taken back in object order, so output rows come out exactly
 *   as the sequential scan writes them.
 *
 * Memory stays bounded: at most one piece more than there are threads (and
 * never more than MAX_IN_FLIGHT) is in flight per request, and the next
 * stored chunk is read only when the client wants more output.
 *
 * An error in a piece ends the scan after the output of every earlier piece
 * and the rows of that piece before the error: what the sequential scan sends.
 * No error message carries a position, so a piece's error reads the same.
 *
 * Cutting at any record delimiter is safe because AllowQuotedRecordDelimiter
 * is FALSE here: the CSV splitter then ends a record at every delimiter,
 * quoted or not, and a JSON LINES record is one line.
 */
import { errors } from '../../../shared/errors.js';
import type { ObjectStore, ObjectVersion } from '../../store/types.js';
import type { SelectRequest } from '../request.js';
import type { OutputRow, ScanCounters } from '../types.js';
import { csvHeaderPrefix } from './csv-header.js';
import { compileQuery, type SelectQuery } from '../sql/index.js';
import type { ParallelPlan } from './parallel-plan.js';
import type { ChunkJob, ChunkResult } from './scan-chunk.js';
import type { ScanPool } from './scan-pool.js';

/** Largest Records payload sent at once; cut at an output record delimiter. */
const RECORDS_MAX_BYTES = 256 * 1024;
/**
 * Bytes without a record delimiter that prove a record too long (over 1 MB of
 * characters: a character is at most 3 UTF-8 bytes per UTF-16 unit).
 */
const OVERSIZED_BYTES = 4 * 1024 * 1024;
/** Pieces one request may have on threads or waiting for them (2 MiB each by default). */
const MAX_IN_FLIGHT = 8;

export interface ParallelScanContext {
  readonly store: ObjectStore;
  readonly version: ObjectVersion;
  readonly request: SelectRequest;
  readonly plan: ParallelPlan;
  readonly pool: ScanPool;
  readonly counters: ScanCounters;
  readonly signal: AbortSignal;
  /** Resolves when the client wants more output. */
  readonly demand: () => Promise<void>;
  /** Sends output bytes as one Records event (and counts them). */
  readonly sendRecords: (bytes: Buffer) => void;
  /** Writes the merged aggregate row (aggregate mode), before Stats. */
  readonly writeAggregate: (row: OutputRow) => void;
}

interface InFlight {
  readonly result: Promise<ChunkResult>;
  readonly length: number;
}

/**
 * Runs the scan. Resolves false when the sequential scan must run instead: a
 * piece of an aggregate query failed (the sequential scan then finds the
 * error it would have found, in its order; nothing has been sent yet).
 */
export async function scanInParallel(ctx: ParallelScanContext): Promise<boolean> {
  const { request, pool, counters, signal, plan } = ctx;
  const input = request.input;
  if (input.format === 'Parquet') throw errors.internal(new Error('Parquet is not scanned in pieces'));
  const delimiter = Buffer.from(input.format === 'CSV' ? input.csv.recordDelimiter : '\n', 'utf8');
  const outDelimiter = Buffer.from(
    request.output.format === 'CSV'
      ? request.output.csv.recordDelimiter
      : request.output.json.recordDelimiter,
    'utf8',
  );
  const wantsHeader = input.format === 'CSV' && input.csv.fileHeaderInfo === 'USE';
  let header: Uint8Array | undefined;
  const inFlight: InFlight[] = [];
  const maxInFlight = Math.min(pool.threads + 1, MAX_IN_FLIGHT);
  let offset = 0;

  /** Sends buffer[0, length) to a thread; the whole buffer moves there (and comes back with the result). */
  const submit = (buffer: Buffer, length: number): void => {
    const job: ChunkJob = {
      expression: request.expression,
      input,
      output: request.output,
      offset,
      bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, length),
      header: offset > 0 && wantsHeader ? header : undefined,
      mode: plan.mode,
    };
    const result = pool.run(job, [buffer.buffer as ArrayBuffer]);
    // Failures are taken in order below; never as unhandled rejections.
    result.catch(() => undefined);
    inFlight.push({ result, length });
    offset += length;
  };

  // Aggregates: the pieces' parts fold into a query of the request's own, in object order.
  const merge: SelectQuery | undefined =
    plan.mode === 'aggregate'
      ? compileQuery(request.expression, {
          format: input.format,
          csvHeader: input.format === 'CSV' ? input.csv.fileHeaderInfo : 'NONE',
        })
      : undefined;
  let failed = false;

  const takeOne = async (): Promise<void> => {
    const head = inFlight.shift()!;
    const r = await head.result;
    if (r.piece !== undefined) pool.buffers.give(r.piece);
    if (signal.aborted) return;
    if (merge !== undefined) {
      if (r.error !== undefined) {
        failed = true;
        return;
      }
      try {
        merge.mergeAggregateParts(r.parts ?? []);
      } catch {
        // MIN / MAX met values they cannot compare: the sequential scan finds
        // the same error, at the record where it makes it.
        failed = true;
        return;
      }
      counters.bytesProcessed += head.length;
      return;
    }
    if (r.output !== undefined && r.output.length > 0)
      sendInSlices(Buffer.from(r.output.buffer, r.output.byteOffset, r.output.length));
    if (r.error !== undefined) {
      if (!r.error.s3) throw errors.internal(new Error(r.error.message));
      throw errors.make(r.error.code as Parameters<typeof errors.make>[0], r.error.message);
    }
    counters.bytesProcessed += head.length;
  };

  const sendInSlices = (bytes: Buffer): void => {
    let from = 0;
    while (bytes.length - from > RECORDS_MAX_BYTES) {
      const cut = bytes.lastIndexOf(outDelimiter, from + RECORDS_MAX_BYTES - outDelimiter.length);
      const end = cut >= from ? cut + outDelimiter.length : bytes.length;
      ctx.sendRecords(bytes.subarray(from, end));
      from = end;
    }
    if (from < bytes.length) ctx.sendRecords(bytes.subarray(from));
  };

  const stream = ctx.store.openObject(ctx.version, undefined, signal);
  // The stored bytes gather in a piece buffer (owned whole, so it can move to a thread).
  let piece = pool.buffers.take();
  let pending = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      counters.bytesScanned += chunk.length;
      if (pending + chunk.length > piece.length) {
        // A long record: a one-off buffer that holds it.
        const bigger = pool.buffers.take(Math.max(2 * piece.length, pending + chunk.length));
        piece.copy(bigger, 0, 0, pending);
        piece = bigger;
      }
      chunk.copy(piece, pending);
      // Copied: the store may reuse the chunk's memory for its next read, so
      // scanning allocates no new external memory per MiB (each 64 MB of it
      // started a full GC of the request thread's heap).
      ctx.store.recycle(chunk);
      pending += chunk.length;
      if (pending < pool.pieceBytes) continue;
      const filled = piece.subarray(0, pending);
      const at = filled.lastIndexOf(delimiter);
      if (at === -1 && pending < OVERSIZED_BYTES) continue;
      if (offset === 0 && wantsHeader)
        header = csvHeaderPrefix(filled, input.format === 'CSV' ? input.csv : undefined);
      // No delimiter in OVERSIZED_BYTES means a record over the 1 MB limit: the
      // piece fails with OverMaxRecordSize, and nothing after it is sent.
      const cut = at === -1 ? pending : at + delimiter.length;
      const next = pool.buffers.take(pending - cut);
      piece.copy(next, 0, cut, pending);
      submit(piece, cut);
      piece = next;
      pending -= cut;
      while (inFlight.length >= maxInFlight && !failed) await takeOne();
      if (signal.aborted || failed) return !failed;
      await ctx.demand();
    }
    if (pending > 0) {
      if (offset === 0 && wantsHeader)
        header = csvHeaderPrefix(piece.subarray(0, pending), input.format === 'CSV' ? input.csv : undefined);
      submit(piece, pending);
    } else {
      pool.buffers.give(piece.buffer as ArrayBuffer);
    }
    while (inFlight.length > 0 && !signal.aborted && !failed) await takeOne();
    if (failed || signal.aborted) return !failed;
    const row = merge?.finish();
    if (row !== undefined) ctx.writeAggregate(row);
    return true;
  } finally {
    stream.destroy();
  }
}
