/**
 * Timestamps of the S3 Select dialect: parsing the text forms TO_TIMESTAMP and
 * CAST accept, printing them the way S3 Select prints them, and the date
 * arithmetic behind DATE_ADD, DATE_DIFF and EXTRACT.
 *
 * The text form follows the W3C note on date and time formats, and, as the S3
 * data-type reference says, "must end with the literal T if not at least
 * whole-day precision": 2007T, 2007-02T, 2007-02-23T (or 2007-02-23),
 * 2007-02-23T12:14Z, 2007-02-23T12:14:33Z, 2007-02-23T12:14:33.079-08:00.
 * A time without an offset is read as UTC (S3's own DATE_DIFF examples use one).
 */
import type { SelectTimestamp } from '../types.js';

type Precision = SelectTimestamp['precision'];

const PRECISION_RANK: Record<Precision, number> = {
  year: 0,
  month: 1,
  day: 2,
  minute: 3,
  second: 4,
  fraction: 5,
};

const TIMESTAMP_RE =
  /^(\d{4})(?:T|-(\d{2})(?:T|-(\d{2})(?:T?|T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)))$/;

/** Milliseconds since the epoch of a UTC date-time (years 0–99 too, unlike Date.UTC). */
function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

function daysInMonth(y: number, mo: number): number {
  return new Date(utcMs(y, mo + 1, 0)).getUTCDate();
}

export function makeTimestamp(
  epochMs: number,
  nanos: number,
  offsetMinutes: number,
  precision: Precision,
): SelectTimestamp {
  return { kind: 'timestamp', epochMs, nanos, offsetMinutes, precision };
}

/** Parses the text form of a timestamp; undefined when it is not one. */
export function parseTimestamp(text: string): SelectTimestamp | undefined {
  const m = TIMESTAMP_RE.exec(text.trim());
  if (m === null) return undefined;
  const y = Number(m[1]);
  const mo = m[2] === undefined ? 1 : Number(m[2]);
  const d = m[3] === undefined ? 1 : Number(m[3]);
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const frac = m[7] ?? '';
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  let offset = 0;
  const tz = m[8];
  if (tz !== undefined && tz !== 'Z') {
    const oh = Number(tz.slice(1, 3));
    const om = Number(tz.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offset = (tz[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = frac === '' ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const nanos = frac.length > 3 ? Number(frac.slice(3, 9).padEnd(6, '0')) : 0;
  const precision: Precision =
    m[2] === undefined
      ? 'year'
      : m[3] === undefined
        ? 'month'
        : m[4] === undefined
          ? 'day'
          : m[6] === undefined
            ? 'minute'
            : m[7] === undefined
              ? 'second'
              : 'fraction';
  return makeTimestamp(utcMs(y, mo, d, h, mi, s, ms) - offset * 60_000, nanos, offset, precision);
}

/** The fields of a timestamp in its own offset (what the text form shows). */
export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

export function localFields(ts: SelectTimestamp): LocalFields {
  const d = new Date(ts.epochMs + ts.offsetMinutes * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function formatOffset(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'Z';
  const a = Math.abs(offsetMinutes);
  return `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(a / 60), 2)}:${pad(a % 60, 2)}`;
}

/** The text form S3 Select prints: as precise as the value is (2007T, 2007-02-23T12:14:33.079-08:00). */
export function formatTimestamp(ts: SelectTimestamp): string {
  const f = localFields(ts);
  const year = f.year < 0 ? `-${pad(-f.year, 4)}` : pad(f.year, 4);
  switch (ts.precision) {
    case 'year':
      return `${year}T`;
    case 'month':
      return `${year}-${pad(f.month, 2)}T`;
    case 'day':
      return `${year}-${pad(f.month, 2)}-${pad(f.day, 2)}T`;
    default: {
      let text = `${year}-${pad(f.month, 2)}-${pad(f.day, 2)}T${pad(f.hour, 2)}:${pad(f.minute, 2)}`;
      if (ts.precision !== 'minute') text += `:${pad(f.second, 2)}`;
      if (ts.precision === 'fraction') {
        text += `.${pad(f.ms, 3)}`;
        if (ts.nanos > 0) text += pad(ts.nanos, 6).replace(/0+$/, '');
      }
      return text + formatOffset(ts.offsetMinutes);
    }
  }
}

export type DateAddPart = 'YEAR' | 'MONTH' | 'DAY' | 'HOUR' | 'MINUTE' | 'SECOND';

const PART_PRECISION: Record<DateAddPart, Precision> = {
  YEAR: 'year',
  MONTH: 'month',
  DAY: 'day',
  HOUR: 'minute',
  MINUTE: 'minute',
  SECOND: 'second',
};
const PART_MS: Partial<Record<DateAddPart, number>> = {
  DAY: 86_400_000,
  HOUR: 3_600_000,
  MINUTE: 60_000,
  SECOND: 1000,
};

/** DATE_ADD: the result gains precision as needed (DATE_ADD(month, 1, `2010T`) is `2010-02T`). */
export function dateAdd(part: DateAddPart, quantity: number, ts: SelectTimestamp): SelectTimestamp {
  const precision =
    PRECISION_RANK[PART_PRECISION[part]] > PRECISION_RANK[ts.precision] ? PART_PRECISION[part] : ts.precision;
  const unit = PART_MS[part];
  if (unit !== undefined)
    return makeTimestamp(ts.epochMs + quantity * unit, ts.nanos, ts.offsetMinutes, precision);
  // Years and months move the calendar fields, clamping the day to the end of the month.
  const f = localFields(ts);
  const months = f.year * 12 + (f.month - 1) + quantity * (part === 'YEAR' ? 12 : 1);
  const y = Math.floor(months / 12);
  const mo = months - y * 12 + 1;
  const d = Math.min(f.day, daysInMonth(y, mo));
  const local = utcMs(y, mo, d, f.hour, f.minute, f.second, f.ms);
  return makeTimestamp(local - ts.offsetMinutes * 60_000, ts.nanos, ts.offsetMinutes, precision);
}

/** DATE_DIFF: whole parts from ts1 to ts2 (negative when ts1 is later); days need 24 h apart. */
export function dateDiff(part: DateAddPart, a: SelectTimestamp, b: SelectTimestamp): number {
  const unit = PART_MS[part];
  if (unit !== undefined) return Math.trunc((b.epochMs - a.epochMs) / unit);
  const da = new Date(a.epochMs);
  const db = new Date(b.epochMs);
  let months = (db.getUTCFullYear() - da.getUTCFullYear()) * 12 + (db.getUTCMonth() - da.getUTCMonth());
  // Only complete months count: compare the position within the month.
  const inMonth = (d: Date) => d.getTime() - utcMs(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  const ra = inMonth(da);
  const rb = inMonth(db);
  if (months > 0 && rb < ra) months--;
  else if (months < 0 && rb > ra) months++;
  return part === 'YEAR' ? Math.trunc(months / 12) : months;
}
