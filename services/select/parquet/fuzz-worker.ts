/**
 * Worker side of the mutation fuzz test (fuzz.test.ts): mutates valid Parquet
 * files with a seeded PRNG and reads each mutant, reporting how every read
 * ended, through the record path (even cases) and the columnar path with the
 * SQL engine (odd cases). Runs in a worker so that the test can stop a read
 * that hangs, which a timer on the same thread could never interrupt.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isS3Error } from '../../../shared/errors.js';
import { compileQuery } from '../sql/index.js';
import type { CompileOptions, CompiledQuery, ScanCounters } from '../types.js';
import { bufferAsRandomAccess, readParquet } from './index.js';
import { mulberry32 } from '../../../test/helpers/seeded-random.js';

const PARQUET: CompileOptions = { format: 'Parquet', csvHeader: 'NONE' };

export interface FuzzInput {
  readonly files: Uint8Array[];
  readonly seed: number;
  readonly cases: number;
}

export type FuzzReport =
  | { readonly kind: 'start'; readonly index: number; readonly mutation: string }
  | { readonly kind: 'rows'; readonly index: number; readonly rows: number }
  | { readonly kind: 's3error'; readonly index: number; readonly code: string }
  | { readonly kind: 'other'; readonly index: number; readonly error: string }
  | { readonly kind: 'finished'; readonly rssMb: number };

export function mutate(src: Uint8Array, rand: () => number): { data: Uint8Array; mutation: string } {
  const data = Uint8Array.from(src);
  const int = (n: number) => Math.floor(rand() * n);
  const footerLength = new DataView(src.buffer, src.byteOffset + src.length - 8, 4).getUint32(0, true);
  const footerStart = Math.max(0, src.length - 8 - footerLength);
  const inFooter = () => footerStart + int(src.length - footerStart);
  const inPages = () => 4 + int(Math.max(1, footerStart - 4));
  switch (int(7)) {
    case 0: {
      const flips = 1 + int(8);
      for (let i = 0; i < flips; i++) data[int(data.length)]! ^= 1 << int(8);
      return { data, mutation: `${flips} bit flips anywhere` };
    }
    case 1: {
      const at = inFooter();
      data[at]! ^= 1 << int(8);
      return { data, mutation: `bit flip in the footer at ${at}` };
    }
    case 2: {
      const at = inPages();
      data[at]! ^= 1 << int(8);
      return { data, mutation: `bit flip in the pages at ${at}` };
    }
    case 3: {
      const at = int(data.length);
      return { data: data.subarray(0, at), mutation: `truncated at ${at}` };
    }
    case 4: {
      const at = inFooter();
      const len = 1 + int(16);
      for (let i = at; i < Math.min(data.length, at + len); i++) data[i] = int(256);
      return { data, mutation: `${len} random bytes in the footer at ${at}` };
    }
    case 5: {
      const at = inPages();
      const len = 1 + int(16);
      for (let i = at; i < Math.min(footerStart, at + len); i++) data[i] = int(256);
      return { data, mutation: `${len} random bytes in the pages at ${at}` };
    }
    default: {
      // A large number where a length or count might be.
      const at = int(data.length - 4);
      const big = [0xffffffff, 0x7fffffff, 0x10000000, 0x80000000][int(4)]!;
      new DataView(data.buffer, data.byteOffset).setUint32(at, big, true);
      return { data, mutation: `0x${big.toString(16)} written at ${at}` };
    }
  }
}

/** Odd cases read through the columnar path: the SQL engine's processColumns on each batch. */
const COLUMNAR_SQL = [
  'SELECT * FROM S3Object s',
  "SELECT COUNT(*), SUM(s.x), MIN(s.s) FROM S3Object s WHERE s.id > 100 AND s.s <> 'v3'",
  'SELECT s.id, s.st FROM S3Object s WHERE s.x BETWEEN 10 AND 500 LIMIT 50',
];

const everything: CompiledQuery = {
  projection: { allColumns: true, names: new Set(), positions: new Set() },
  isAggregate: false,
  bindHeader: () => undefined,
  process: () => undefined,
  finish: () => undefined,
  done: false,
  mayMatch: () => true,
};

async function run(input: FuzzInput): Promise<void> {
  const port = parentPort!;
  const rand = mulberry32(input.seed);
  for (let index = 0; index < input.cases; index++) {
    const file = input.files[Math.floor(rand() * input.files.length)]!;
    const { data, mutation } = mutate(file, rand);
    port.postMessage({ kind: 'start', index, mutation } satisfies FuzzReport);
    const counters: ScanCounters = { bytesScanned: 0, bytesProcessed: 0, bytesReturned: 0 };
    let rows = 0;
    const limits = { maxPageBytes: 16 * 1024 * 1024, maxValuesPerPage: 1 << 20 };
    try {
      if (index % 2 === 0) {
        await readParquet(bufferAsRandomAccess(data, counters), {
          query: everything,
          counters,
          sink: () => ++rows > 0,
          limits,
        });
      } else {
        const query = compileQuery(COLUMNAR_SQL[(index >> 1) % COLUMNAR_SQL.length]!, PARQUET);
        await readParquet(bufferAsRandomAccess(data, counters), {
          query,
          counters,
          sink: () => false,
          batchSink: (batch) => {
            query.processColumns!(batch, () => void rows++);
            return !query.done;
          },
          limits,
        });
        if (query.finish()) rows++;
      }
      port.postMessage({ kind: 'rows', index, rows } satisfies FuzzReport);
    } catch (e) {
      const report: FuzzReport = isS3Error(e)
        ? { kind: 's3error', index, code: e.code }
        : {
            kind: 'other',
            index,
            error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e),
          };
      port.postMessage(report);
    }
  }
  port.postMessage({ kind: 'finished', rssMb: process.memoryUsage().rss / 2 ** 20 } satisfies FuzzReport);
}

if (parentPort && workerData) void run(workerData as FuzzInput);
