/**
 * How a Parquet leaf column's physical values become S3 Select values, from
 * its physical type and its logical (or older converted) annotation:
 * https://github.com/apache/parquet-format/blob/master/LogicalTypes.md
 *
 * Decisions (S3 documents DATE, DECIMAL, ENUM, INT(8..64), LIST, STRING and
 * TIMESTAMP; Strata accepts more where the mapping is unambiguous):
 * - INT64 is a number when it fits in 2^53, else a bigint.
 * - DECIMAL is a number (value / 10^scale), as the contract allows.
 * - DATE, TIMESTAMP (MILLIS/MICROS/NANOS) and legacy INT96 are SelectTimestamps (UTC).
 * - BYTE_ARRAY without an annotation is read as UTF-8 text, like most readers,
 *   since many writers omit the STRING annotation; JSON and ENUM are text too.
 * - BSON, INTERVAL, VARIANT, geospatial and unannotated FIXED_LEN_BYTE_ARRAY
 *   are UnsupportedParquetType, raised only when a query reads such a column.
 */
import type { SchemaElement } from 'hyparquet';

export type ValueKind =
  | 'boolean'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float'
  | 'double'
  | 'string'
  | 'date'
  | 'timestamp-millis'
  | 'timestamp-micros'
  | 'timestamp-nanos'
  | 'int96'
  | 'decimal'
  | 'uuid'
  | 'float16'
  | 'unsupported';

const KINDS: ReadonlySet<string> = new Set<ValueKind>([
  'boolean',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float',
  'double',
  'string',
  'date',
  'timestamp-millis',
  'timestamp-micros',
  'timestamp-nanos',
  'int96',
  'decimal',
  'uuid',
  'float16',
]);

export type PhysicalType =
  'BOOLEAN' | 'INT32' | 'INT64' | 'INT96' | 'FLOAT' | 'DOUBLE' | 'BYTE_ARRAY' | 'FIXED_LEN_BYTE_ARRAY';

export interface LeafType {
  readonly physical: PhysicalType;
  readonly kind: ValueKind;
  /** DECIMAL scale. */
  readonly scale: number;
  /** FIXED_LEN_BYTE_ARRAY width. */
  readonly typeLength: number;
  /** For kind 'unsupported': what the type is. */
  readonly unsupported?: string;
}

const PHYSICAL: ReadonlySet<string> = new Set([
  'BOOLEAN',
  'INT32',
  'INT64',
  'INT96',
  'FLOAT',
  'DOUBLE',
  'BYTE_ARRAY',
  'FIXED_LEN_BYTE_ARRAY',
]);

export function isPhysicalType(t: unknown): t is PhysicalType {
  return typeof t === 'string' && PHYSICAL.has(t);
}

function kindOf(e: SchemaElement, physical: PhysicalType): ValueKind | string {
  const logical = e.logical_type?.type;
  const converted = e.converted_type;
  if (logical === 'DECIMAL' || converted === 'DECIMAL') {
    return physical === 'INT32' ||
      physical === 'INT64' ||
      physical === 'BYTE_ARRAY' ||
      physical === 'FIXED_LEN_BYTE_ARRAY'
      ? 'decimal'
      : `DECIMAL on ${physical}`;
  }
  if (logical === 'BSON' || converted === 'BSON') return 'BSON';
  if (logical === 'INTERVAL' || converted === 'INTERVAL') return 'INTERVAL';
  if (logical === 'VARIANT' || logical === 'GEOMETRY' || logical === 'GEOGRAPHY') return logical;
  const unsigned =
    (converted !== undefined && converted.startsWith('UINT_')) ||
    (e.logical_type?.type === 'INTEGER' && !e.logical_type.isSigned);
  switch (physical) {
    case 'BOOLEAN':
      return 'boolean';
    case 'FLOAT':
      return 'float';
    case 'DOUBLE':
      return 'double';
    case 'INT96':
      return 'int96';
    case 'INT32':
      if (logical === 'DATE' || converted === 'DATE') return 'date';
      return unsigned ? 'uint32' : 'int32';
    case 'INT64': {
      const lt = e.logical_type;
      if (lt?.type === 'TIMESTAMP') {
        return lt.unit === 'MILLIS'
          ? 'timestamp-millis'
          : lt.unit === 'MICROS'
            ? 'timestamp-micros'
            : 'timestamp-nanos';
      }
      if (converted === 'TIMESTAMP_MILLIS') return 'timestamp-millis';
      if (converted === 'TIMESTAMP_MICROS') return 'timestamp-micros';
      return unsigned ? 'uint64' : 'int64';
    }
    case 'BYTE_ARRAY':
      return 'string';
    case 'FIXED_LEN_BYTE_ARRAY':
      if (logical === 'UUID') return 'uuid';
      if (logical === 'FLOAT16') return 'float16';
      return 'FIXED_LEN_BYTE_ARRAY';
  }
}

/** The LeafType of a schema leaf (its physical type already checked). */
export function leafTypeOf(e: SchemaElement, physical: PhysicalType): LeafType {
  const k = kindOf(e, physical);
  const scale = Number.isSafeInteger(e.scale) ? (e.scale as number) : 0;
  const typeLength = Number.isSafeInteger(e.type_length) ? (e.type_length as number) : 0;
  if (KINDS.has(k)) return { physical, kind: k as ValueKind, scale, typeLength };
  return { physical, kind: 'unsupported', scale, typeLength, unsupported: k };
}
