/**
 * Test support for the Parquet reader: Parquet files written by DuckDB at test
 * time (the independent writer and the independent source of expected rows),
 * a stand-in CompiledQuery that records what the reader hands it, and a scan
 * helper. Not a test file itself.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ColumnStats, CompiledQuery, InputRecord, ScanCounters } from '../types.js';
import { bufferAsRandomAccess, readParquet, type ParquetLimits } from './index.js';

export interface Duck {
  readonly conn: DuckDBConnection;
  readonly dir: string;
  /** Writes `SELECT …` as Parquet and returns the file's bytes and path. */
  write(select: string, options: string): Promise<{ data: Buffer; file: string }>;
  /** Rows of a query, as JS values (BIGINT as bigint). */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  close(): void;
}

export async function openDuck(): Promise<Duck> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-parquet-'));
  let n = 0;
  return {
    conn,
    dir,
    async write(select, options) {
      const file = path.join(dir, `f${n++}.parquet`);
      await conn.run(`COPY (${select}) TO '${file}' (FORMAT parquet, ${options})`);
      return { data: fs.readFileSync(file), file };
    },
    async rows(sql) {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    },
    close() {
      conn.closeSync();
      instance.closeSync();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface StandIn {
  readonly query: CompiledQuery;
  /** The stats of each row group mayMatch was asked about. */
  readonly asked: ReadonlyMap<string, ColumnStats>[];
}

/**
 * A CompiledQuery stand-in: the projection given, `prune` deciding mayMatch,
 * and `done` once `limit` records were seen by `count()`.
 */
export function standIn(opts: {
  names?: string[];
  all?: boolean;
  positions?: number[];
  prune?: (stats: ReadonlyMap<string, ColumnStats>) => boolean;
  limit?: number;
}): StandIn & { count(): void } {
  const asked: ReadonlyMap<string, ColumnStats>[] = [];
  let seen = 0;
  const query: CompiledQuery = {
    projection: {
      allColumns: opts.all ?? false,
      names: new Set(opts.names ?? []),
      positions: new Set(opts.positions ?? []),
    },
    isAggregate: false,
    bindHeader: () => undefined,
    process: () => undefined,
    finish: () => undefined,
    get done() {
      return opts.limit !== undefined && seen >= opts.limit;
    },
    mayMatch(stats) {
      asked.push(stats);
      return opts.prune ? opts.prune(stats) : true;
    },
  };
  return { query, asked, count: () => void seen++ };
}

export interface ScanResult {
  readonly rows: Record<string, unknown>[];
  readonly counters: ScanCounters;
}

/** Reads `data` with the stand-in, collecting every record. */
export async function scan(
  data: Uint8Array,
  q: StandIn & { count(): void },
  limits?: Partial<ParquetLimits>,
): Promise<ScanResult> {
  const counters: ScanCounters = { bytesScanned: 0, bytesProcessed: 0, bytesReturned: 0 };
  const rows: Record<string, unknown>[] = [];
  const sink = (r: InputRecord) => {
    rows.push(r as Record<string, unknown>);
    q.count();
    return true;
  };
  await readParquet(bufferAsRandomAccess(data, counters), { query: q.query, sink, counters, limits });
  return { rows, counters };
}
