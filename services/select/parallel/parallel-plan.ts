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
 * Aggregates ('aggregate'): each piece folds its records and hands back its
 * aggregates' parts, which the request's thread merges in object order
 * (AggregatePart in sql/compiled.ts), with the sequential scan's results.
 */
import type { ObjectVersion } from '../../store/types.js';
import type { SelectRequest } from '../request.js';
import { parseSelect } from '../sql/parser.js';
import type { CompiledQuery, ScanRange } from '../types.js';
import type { ScanPool } from './scan-pool.js';

export type ParallelMode = 'rows' | 'aggregate';

export interface ParallelPlan {
  /** Each piece runs the request's own expression; this says what it hands back. */
  readonly mode: ParallelMode;
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
  return { mode: c.query.isAggregate ? 'aggregate' : 'rows' };
}
