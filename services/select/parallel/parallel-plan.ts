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
 * - aggregates other than COUNT: SUM and AVG of floats add up in object order,
 *   and partial sums added together would round differently; MIN and MAX
 *   would report a type clash of two pieces differently. COUNT merges exactly.
 */
import type { ObjectVersion } from '../../store/types.js';
import type { SelectRequest } from '../request.js';
import { parseSelect } from '../sql/parser.js';
import type { CompiledQuery, ScanRange } from '../types.js';
import type { ScanPool } from './scan-pool.js';

export type ParallelMode = 'rows' | 'aggregate';

export interface ParallelCandidate {
  readonly request: SelectRequest;
  readonly query: CompiledQuery;
  readonly scanRange: ScanRange | undefined;
}

export function parallelMode(
  c: ParallelCandidate,
  version: ObjectVersion,
  pool: ScanPool | undefined,
): ParallelMode | undefined {
  if (pool === undefined || pool.isClosed || version.size < pool.minObjectBytes) return undefined;
  const { input, expression } = c.request;
  if (c.scanRange !== undefined || input.format === 'Parquet' || input.compression !== 'NONE')
    return undefined;
  if (input.format === 'JSON' && input.json.type !== 'LINES') return undefined;
  if (input.format === 'CSV' && input.csv.allowQuotedRecordDelimiter) return undefined;
  if (/utcnow/i.test(expression)) return undefined;
  const stmt = parseSelect(expression);
  if (stmt.limit !== undefined) return undefined;
  if (!c.query.isAggregate) return 'rows';
  const countsOnly = stmt.items?.every((i) => i.k === 'expr' && i.e.k === 'agg' && i.e.name === 'COUNT');
  return countsOnly ? 'aggregate' : undefined;
}
