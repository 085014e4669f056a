/**
 * A row group's column statistics as CompiledQuery.mayMatch takes them, keyed
 * by the exact top-level column name. Only flat columns have statistics here
 * (a nested column's leaf statistics say nothing simple about the column).
 * min_value / max_value are used; the deprecated min / max only where their
 * (signed) sort order is the column's order, never for byte arrays
 * (PARQUET-251). A value that cannot be trusted is left out, which only
 * makes pruning more cautious.
 */
import type { Statistics } from 'hyparquet';
import type { ColumnStats, SelectValue } from '../types.js';
import type { RowGroupLayout, TopColumn } from './layout.js';
import type { LeafType } from './leaf-type.js';
import { narrow } from './values.js';

const LEGACY_ORDER_OK: ReadonlySet<string> = new Set([
  'int32',
  'int64',
  'float',
  'double',
  'boolean',
  'date',
]);

function statValue(v: unknown, type: LeafType): SelectValue {
  if (typeof v === 'bigint') return type.kind === 'uint64' ? narrow(BigInt.asUintN(64, v)) : narrow(v);
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'timestamp') {
    return Number.isFinite((v as { epochMs: unknown }).epochMs) ? (v as SelectValue) : undefined;
  }
  return undefined;
}

function columnStats(s: Statistics, type: LeafType, convertedDecimal: boolean): ColumnStats | undefined {
  if (type.kind === 'decimal' && !convertedDecimal) return undefined; // the library scales only converted DECIMAL
  if (type.kind === 'unsupported' || type.kind === 'int96') return undefined;
  const legacy = LEGACY_ORDER_OK.has(type.kind);
  let min = statValue(s.min_value, type);
  let max = statValue(s.max_value, type);
  if (min === undefined && max === undefined && legacy) {
    min = statValue(s.min, type);
    max = statValue(s.max, type);
  }
  const nullCount = typeof s.null_count === 'bigint' ? Number(s.null_count) : undefined;
  const stats: { min?: SelectValue; max?: SelectValue; nullCount?: number } = {};
  if (min !== undefined && max !== undefined) {
    stats.min = min;
    stats.max = max;
  }
  if (nullCount !== undefined && Number.isSafeInteger(nullCount) && nullCount >= 0)
    stats.nullCount = nullCount;
  return stats.min === undefined && stats.nullCount === undefined ? undefined : stats;
}

export function rowGroupStats(
  columns: readonly TopColumn[],
  group: RowGroupLayout,
): Map<string, ColumnStats> {
  const out = new Map<string, ColumnStats>();
  for (const column of columns) {
    if (!column.flat) continue;
    const leaf = column.leaves[0]!;
    const chunk = group.chunks[leaf.index]!;
    const s = chunk.meta.statistics;
    if (!s || typeof s !== 'object') continue;
    const convertedDecimal =
      leaf.schemaPath[leaf.schemaPath.length - 1]!.element.converted_type === 'DECIMAL';
    const stats = columnStats(s, leaf.type, convertedDecimal);
    if (stats) out.set(column.name, stats);
  }
  return out;
}
