/**
 * When a select may be scanned in pieces on worker threads, and how its
 * results merge. Everything else keeps the sequential path:
 *
 * - small objects (threads would not pay off), Parquet (it has its own
 *   random-access reader), GZIP / BZIP2 (a compressed stream cannot be cut),
 *   a ScanRange in the request, JSON DOCUMENT (records span lines);
 * - CSV with AllowQuotedRecordDelimiter: a record delimiter may then sit
 *   inside quotes, so the bytes cannot be cut at one without parsing;
 * - LIMIT: the scan must stop reading as soon as it is satisfied, in order;
 * - UTCNOW(): one instant for the whole query (each piece compiles its own);
 * - a query that needs no record at all (a WHERE that is never true, when
 *   the sequential scan stops at once).
 *
 * Aggregates: COUNTs add up exactly per piece ('aggregate'); any other
 * aggregate is split (aggregate-split.ts) so that its values are added on the
 * request's thread in object order ('values'), where it can be split exactly.
 */
import type { ObjectVersion } from '../../store/types.js';
import type { SelectRequest } from '../request.js';
import { parseSelect } from '../sql/parser.js';
import type { CompiledQuery, ScanRange } from '../types.js';
import { splitAggregates, type AggregateSplit } from './aggregate-split.js';
import type { ScanPool } from './scan-pool.js';

export type ParallelMode = 'rows' | 'aggregate' | 'values';

export interface ParallelPlan {
  readonly mode: ParallelMode;
  /** What each piece runs. */
  readonly pieceSql: string;
  /** values mode: how the pieces' argument values merge. */
  readonly split?: AggregateSplit;
}

export interface ParallelCandidate {
  readonly request: SelectRequest;
  readonly query: CompiledQuery;
  readonly scanRange: ScanRange | undefined;
}

export function parallelPlan(
  c: ParallelCandidate,
  version: ObjectVersion,
  pool: ScanPool | undefined,
): ParallelPlan | undefined {
  if (pool === undefined || pool.isClosed || version.size < pool.minObjectBytes) return undefined;
  const { input, expression } = c.request;
  if (c.scanRange !== undefined || input.format === 'Parquet' || input.compression !== 'NONE')
    return undefined;
  if (input.format === 'JSON' && input.json.type !== 'LINES') return undefined;
  if (input.format === 'CSV' && input.csv.allowQuotedRecordDelimiter) return undefined;
  if (/utcnow/i.test(expression) || c.query.done) return undefined;
  const stmt = parseSelect(expression);
  if (stmt.limit !== undefined) return undefined;
  if (!c.query.isAggregate) return { mode: 'rows', pieceSql: expression };
  const countsOnly = stmt.items?.every((i) => i.k === 'expr' && i.e.k === 'agg' && i.e.name === 'COUNT');
  if (countsOnly) return { mode: 'aggregate', pieceSql: expression };
  const split = splitAggregates(expression, stmt, input.format === 'CSV');
  return split === undefined || split.argCount === 0
    ? undefined
    : { mode: 'values', pieceSql: split.pieceSql, split };
}
