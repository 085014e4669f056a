/**
 * Conversions of Parquet physical values to S3 Select values (see leaf-type.ts
 * for the mapping and why).
 */
import type { SelectTimestamp, SelectValue } from '../types.js';
import type { LeafType } from './leaf-type.js';
import { unsupportedParquetType } from './parquet-errors.js';

const TWO32 = 4294967296;
const DAY_MS = 86_400_000;

/** A signed 64-bit integer from its two little-endian 32-bit halves. */
export function int64FromHalves(lo: number, hi: number): number | bigint {
  // |hi| < 2^21 keeps the value within ±2^53, where a double is exact.
  if (hi >= -0x200000 && hi < 0x200000) return hi * TWO32 + (lo >>> 0);
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}

export function uint64FromHalves(lo: number, hi: number): number | bigint {
  const h = hi >>> 0;
  if (h < 0x200000) return h * TWO32 + (lo >>> 0);
  return (BigInt(h) << 32n) | BigInt(lo >>> 0);
}

/** A bigint as a number when that is exact. */
export function narrow(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

export function timestamp(epochMs: number, nanos: number): SelectTimestamp {
  const fraction = nanos !== 0 || epochMs % 1000 !== 0;
  return { kind: 'timestamp', epochMs, nanos, offsetMinutes: 0, precision: fraction ? 'fraction' : 'second' };
}

export function dateFromDays(days: number): SelectTimestamp {
  return { kind: 'timestamp', epochMs: days * DAY_MS, nanos: 0, offsetMinutes: 0, precision: 'day' };
}

/** A timestamp from an integer count of `unitsPerMs` units per millisecond (1, 1e3, 1e6). */
export function timestampFromUnits(v: number | bigint, unitsPerMs: number): SelectTimestamp {
  if (typeof v === 'number') {
    const ms = Math.floor(v / unitsPerMs);
    return timestamp(ms, (v - ms * unitsPerMs) * (1e6 / unitsPerMs));
  }
  const per = BigInt(unitsPerMs);
  let ms = v / per;
  let rest = v % per;
  if (rest < 0n) {
    ms -= 1n;
    rest += per;
  }
  return timestamp(Number(ms), Number(rest) * (1e6 / unitsPerMs));
}

/** INT96 (legacy Impala/Spark timestamps): nanoseconds of the day, then the Julian day. */
export function timestampFromInt96(bytes: Uint8Array, at: number): SelectTimestamp {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + at, 12);
  const nanosOfDay = Number(dv.getBigUint64(0, true));
  const days = dv.getInt32(8, true) - 2440588; // Julian day of 1970-01-01
  const msOfDay = Math.floor(nanosOfDay / 1e6);
  return timestamp(days * DAY_MS + msOfDay, nanosOfDay - msOfDay * 1e6);
}

/** A big-endian two's-complement integer of any width. */
export function bigEndianSigned(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  if (bytes.length > 0 && bytes[0]! & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return v;
}

export function decimal(unscaled: number | bigint, scale: number): number {
  if (scale === 0) return Number(unscaled);
  return scale > 0 ? Number(unscaled) / 10 ** scale : Number(unscaled) * 10 ** -scale;
}

function uuid(b: Uint8Array): string {
  const hex = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function float16(b: Uint8Array): number {
  const bits = (b[1]! << 8) | b[0]!;
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

const utf8 = new TextDecoder();

/**
 * One raw value (as the slower decoders produce it: number, bigint, boolean or
 * bytes) as a SelectValue of the leaf's kind.
 */
export function convertRaw(leaf: LeafType, raw: number | bigint | boolean | Uint8Array): SelectValue {
  switch (leaf.kind) {
    case 'boolean':
      return Boolean(raw);
    case 'int32':
    case 'float':
    case 'double':
      return Number(raw);
    case 'uint32':
      return Number(raw) >>> 0;
    case 'int64':
      return typeof raw === 'bigint' ? narrow(raw) : Number(raw);
    case 'uint64':
      return typeof raw === 'bigint' ? narrow(BigInt.asUintN(64, raw)) : Number(raw);
    case 'date':
      return dateFromDays(Number(raw));
    case 'timestamp-millis':
      return timestampFromUnits(typeof raw === 'bigint' ? narrow(raw) : Number(raw), 1);
    case 'timestamp-micros':
      return timestampFromUnits(typeof raw === 'bigint' ? narrow(raw) : Number(raw), 1e3);
    case 'timestamp-nanos':
      return timestampFromUnits(typeof raw === 'bigint' ? narrow(raw) : Number(raw), 1e6);
    case 'int96':
      if (!(raw instanceof Uint8Array) || raw.length !== 12) throw unsupportedParquetType('INT96');
      return timestampFromInt96(raw, 0);
    case 'decimal':
      return decimal(raw instanceof Uint8Array ? bigEndianSigned(raw) : (raw as number | bigint), leaf.scale);
    case 'string':
      return raw instanceof Uint8Array ? utf8.decode(raw) : String(raw);
    case 'uuid':
      if (!(raw instanceof Uint8Array) || raw.length !== 16) throw unsupportedParquetType('UUID');
      return uuid(raw);
    case 'float16':
      if (!(raw instanceof Uint8Array) || raw.length !== 2) throw unsupportedParquetType('FLOAT16');
      return float16(raw);
    case 'unsupported':
      throw unsupportedParquetType(leaf.unsupported ?? leaf.physical);
  }
}
