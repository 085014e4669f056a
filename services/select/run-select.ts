/**
 * One SelectObjectContent, end to end:
 *
 *   prepareSelect: compile the SQL and resolve the ScanRange. Its errors are
 *     thrown before the response starts, so they reach the client as HTTP
 *     errors with S3's codes.
 *   startSelect: returns the response body (an event stream) and runs
 *     reader → query → writer into it:
 *       Records  at most ~256 KB each, and at least every 100 ms while rows come
 *       Progress every second when RequestProgress is enabled, and before Stats
 *       Cont     after 2 s without any other message (long scans that match nothing)
 *       Stats, End   when the input is done (after the aggregate row, if any)
 *     A runtime error (CastFailed, CSVParsingError, OverMaxRecordSize,
 *     ParquetParsingError, …) becomes an error event, which ends the stream.
 *
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html
 */
import type { Readable } from 'node:stream';
import { errors, isS3Error } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { ObjectStore, ObjectVersion } from '../store/types.js';
import { contEvent, endEvent, errorEvent, progressEvent, recordsEvent, statsEvent } from './event-stream.js';
import { resolveScanRange } from './input/reader.js';
import { createCsvWriter } from './output/csv-writer.js';
import { createJsonWriter } from './output/json-writer.js';
import { parallelPlan } from './parallel/parallel-plan.js';
import { scanInParallel } from './parallel/parallel-scan.js';
import type { ScanPool } from './parallel/scan-pool.js';
import type { SelectRequest } from './request.js';
import { SelectResponseStream } from './response-stream.js';
import { scanObject } from './scan-object.js';
import { compileQuery, type SelectQuery } from './sql/index.js';
import type { BatchSink, OutputRow, RecordSink, RowWriter, ScanCounters, ScanRange } from './types.js';

/** Output buffered before a Records event is sent regardless of the timer (characters). */
const RECORDS_FLUSH_CHARS = 256 * 1024;

/** When buffered Records are flushed, and how often Progress and Cont are sent. */
export interface SelectTiming {
  readonly tickMs: number;
  readonly progressMs: number;
  readonly contMs: number;
}

export const DEFAULT_TIMING: SelectTiming = { tickMs: 100, progressMs: 1000, contMs: 2000 };

export interface PreparedSelect {
  readonly request: SelectRequest;
  readonly query: SelectQuery;
  /** The ScanRange as a half-open byte range over the object, if one was asked. */
  readonly scanRange: ScanRange | undefined;
}

/** Compiles and checks everything that can fail before the 200 is sent. */
export function prepareSelect(request: SelectRequest, version: ObjectVersion): PreparedSelect {
  const { input } = request;
  const query = compileQuery(request.expression, {
    format: input.format,
    csvHeader: input.format === 'CSV' ? input.csv.fileHeaderInfo : 'NONE',
  });
  const r = request.scanRange;
  const scanRange = r === undefined ? undefined : resolveScanRange(r.start, r.end, version.size);
  return { request, query, scanRange };
}

export interface StartSelectOptions {
  readonly store: ObjectStore;
  readonly version: ObjectVersion;
  /** The request's signal: aborted when the client goes away. */
  readonly signal?: AbortSignal;
  readonly log?: Logger;
  readonly maxDecompressedBytes?: number;
  readonly timing?: SelectTiming;
  /** Worker threads for large CSV / JSON LINES scans; sequential on this thread when absent. */
  readonly scanPool?: ScanPool;
  /** Told how the scan ran, once it has (metrics). */
  readonly onScan?: (scan: SelectScanKind) => void;
}

/** How a scan ran: see services/metrics/select-metrics.ts. */
export type SelectScanKind = 'sequential' | 'parallel' | 'parallel_then_sequential';

function createWriter(request: SelectRequest): RowWriter {
  const out = request.output;
  return out.format === 'CSV' ? createCsvWriter(out.csv) : createJsonWriter(out.json);
}

/** Starts the scan and returns the event-stream body to send with status 200. */
export function startSelect(prepared: PreparedSelect, opts: StartSelectOptions): Readable {
  const body = new SelectResponseStream();
  void runScan(prepared, opts, body);
  return body;
}

/** The RecordSink the reader feeds: query → writer, stopping on LIMIT or when the client is gone. */
function recordSink(query: SelectQuery, signal: AbortSignal, emit: (row: OutputRow) => void): RecordSink {
  // A JSON FROM path with wildcards makes several rows of one record.
  if (query.multiRow) {
    return (record) => {
      if (signal.aborted) return false;
      query.processEach(record, emit);
      return !query.done;
    };
  }
  return (record, complete) => {
    if (signal.aborted) return false;
    const row = query.process(record, complete);
    if (row !== undefined) emit(row);
    return !query.done;
  };
}

/** The BatchSink for columnar input (Parquet), when the query takes batches. */
function batchSink(
  query: SelectQuery,
  signal: AbortSignal,
  emit: (row: OutputRow) => void,
): BatchSink | undefined {
  const { processColumns } = query;
  if (processColumns === undefined) return undefined;
  return (batch) => {
    if (signal.aborted) return false;
    processColumns.call(query, batch, emit);
    return !query.done;
  };
}

/** Every tick: flush buffered Records, and send Progress / Cont when they are due. */
function startTicker(
  timing: SelectTiming,
  progress: boolean,
  body: SelectResponseStream,
  flush: () => void,
  counters: ScanCounters,
): NodeJS.Timeout {
  let lastProgressAt = Date.now();
  return setInterval(() => {
    const now = Date.now();
    flush();
    if (progress && now - lastProgressAt >= timing.progressMs) {
      lastProgressAt = now;
      body.send(progressEvent(counters));
    }
    if (now - body.lastSentAt >= timing.contMs) body.send(contEvent());
  }, timing.tickMs);
}

async function runScan(
  prepared: PreparedSelect,
  opts: StartSelectOptions,
  body: SelectResponseStream,
): Promise<void> {
  const { request, query } = prepared;
  const counters: ScanCounters = { bytesScanned: 0, bytesProcessed: 0, bytesReturned: 0 };
  const writer = createWriter(request);
  // The request's signal destroys the body, which aborts body.signal: one
  // signal for the scan, without AbortSignal.any (~50 µs a request on Node 20).
  const stop = (): void => void body.destroy();
  opts.signal?.addEventListener('abort', stop, { once: true });
  if (opts.signal?.aborted) stop();
  const signal = body.signal;
  const flush = (): void => {
    if (writer.pending === 0) return;
    const bytes = writer.take();
    counters.bytesReturned += bytes.length;
    if (bytes.length > 0) body.send(recordsEvent(bytes));
  };
  const emit = (row: OutputRow): void => {
    writer.write(row);
    if (writer.pending >= RECORDS_FLUSH_CHARS) flush();
  };
  const tick = startTicker(opts.timing ?? DEFAULT_TIMING, request.requestProgress, body, flush, counters);
  let parallelDone = false;
  let scan: SelectScanKind = 'sequential';
  try {
    const plan = parallelPlan(prepared, opts.version, opts.scanPool);
    if (plan !== undefined && opts.scanPool !== undefined) {
      scan = 'parallel';
      parallelDone = await scanInParallel({
        store: opts.store,
        version: opts.version,
        request,
        plan,
        pool: opts.scanPool,
        counters,
        signal,
        demand: () => body.demand(),
        sendRecords: (bytes) => {
          counters.bytesReturned += bytes.length;
          body.send(recordsEvent(bytes));
        },
        writeAggregate: (row) => writer.write(row),
      });
      // A piece of an aggregate query failed and nothing was sent: the
      // sequential scan finds the error it finds, in its own order.
      if (!parallelDone) {
        scan = 'parallel_then_sequential';
        Object.assign(counters, { bytesScanned: 0, bytesProcessed: 0, bytesReturned: 0 });
      }
    }
    if (!parallelDone && !signal.aborted) {
      await scanObject({
        store: opts.store,
        version: opts.version,
        input: request.input,
        query,
        scanRange: prepared.scanRange,
        sink: recordSink(query, signal, emit),
        batchSink: batchSink(query, signal, emit),
        counters,
        demand: () => body.demand(),
        signal,
        ...(opts.maxDecompressedBytes === undefined
          ? {}
          : { maxDecompressedBytes: opts.maxDecompressedBytes }),
      });
    }
    if (signal.aborted) return;
    // The parallel scan wrote the merged aggregate row itself.
    if (query.isAggregate && !parallelDone) {
      const row = query.finish();
      if (row !== undefined) writer.write(row);
    }
    flush();
    if (request.requestProgress) body.send(progressEvent(counters));
    body.send(statsEvent(counters));
    body.send(endEvent());
  } catch (e) {
    if (signal.aborted) return;
    // Rows produced before the failure are valid output: send them first.
    try {
      flush();
    } catch {
      // The writer itself failed (e.g. an oversized record); the error event says why.
    }
    const err = isS3Error(e) && e.status < 500 ? e : errors.internal(e);
    if (err !== e) opts.log?.error('select failed', { err: e });
    body.send(errorEvent(err.code, err.message));
  } finally {
    opts.signal?.removeEventListener('abort', stop);
    clearInterval(tick);
    body.finish();
    opts.onScan?.(scan);
  }
}
