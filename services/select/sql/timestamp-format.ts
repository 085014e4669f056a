/**
 * TO_STRING(timestamp, pattern): the pattern symbols of the S3 Select date
 * functions reference — y yy yyyy, M MM MMM MMMM MMMMM, d dd, a, h hh, H HH,
 * m mm, s ss, S… (fraction digits), n (nano of second), X… and x… (offsets),
 * 'quoted text' with '' for a quote. Letters outside the table are errors;
 * other characters are copied. The pattern is compiled once per query.
 */
import type { SelectTimestamp } from '../types.js';
import { evalError } from './sql-error.js';
import { localFields, type LocalFields } from './timestamp.js';

type Part = (f: LocalFields, ts: SelectTimestamp) => string;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function offsetText(minutes: number, style: 'h' | 'hm' | 'h:m', zForZero: boolean): string {
  if (minutes === 0 && zForZero) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  const h = pad(Math.floor(a / 60), 2);
  const m = pad(a % 60, 2);
  if (style === 'h') return a % 60 === 0 ? `${sign}${h}` : `${sign}${h}${m}`;
  return style === 'hm' ? `${sign}${h}${m}` : `${sign}${h}:${m}`;
}

function symbol(letter: string, count: number): Part {
  switch (letter) {
    case 'y':
      if (count === 2) return (f) => pad(f.year % 100, 2);
      return (f) => pad(f.year, count);
    case 'M':
      if (count === 1) return (f) => String(f.month);
      if (count === 2) return (f) => pad(f.month, 2);
      if (count === 3) return (f) => MONTHS[f.month - 1]!.slice(0, 3);
      if (count === 4) return (f) => MONTHS[f.month - 1]!;
      if (count === 5) return (f) => MONTHS[f.month - 1]![0]!;
      break;
    case 'd':
      if (count <= 2) return (f) => pad(f.day, count);
      break;
    case 'a':
      if (count === 1) return (f) => (f.hour < 12 ? 'AM' : 'PM');
      break;
    case 'h':
      if (count <= 2) return (f) => pad(f.hour % 12 === 0 ? 12 : f.hour % 12, count);
      break;
    case 'H':
      if (count <= 2) return (f) => pad(f.hour, count);
      break;
    case 'm':
      if (count <= 2) return (f) => pad(f.minute, count);
      break;
    case 's':
      if (count <= 2) return (f) => pad(f.second, count);
      break;
    case 'S':
      if (count <= 9) return (f, ts) => (pad(f.ms, 3) + pad(ts.nanos, 6)).slice(0, count);
      break;
    case 'n':
      if (count === 1) return (f, ts) => String(f.ms * 1_000_000 + ts.nanos);
      break;
    case 'X':
    case 'x': {
      const z = letter === 'X';
      if (count === 1) return (_f, ts) => offsetText(ts.offsetMinutes, 'h', z);
      if (count === 2 || count === 4) return (_f, ts) => offsetText(ts.offsetMinutes, 'hm', z);
      if (count === 3 || count === 5) return (_f, ts) => offsetText(ts.offsetMinutes, 'h:m', z);
      break;
    }
    default:
      throw evalError(
        'EvaluatorInvalidTimestampFormatPatternSymbol',
        `Invalid symbol '${letter}' in the timestamp format pattern.`,
      );
  }
  throw evalError(
    'EvaluatorInvalidTimestampFormatPatternToken',
    `Invalid token '${letter.repeat(count)}' in the timestamp format pattern.`,
  );
}

export type TimestampFormatter = (ts: SelectTimestamp) => string;

export function compileTimestampPattern(pattern: string): TimestampFormatter {
  const parts: Part[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= pattern.length) {
          throw evalError(
            'EvaluatorUnterminatedTimestampFormatPatternToken',
            'Unterminated quoted text in the timestamp format pattern.',
          );
        }
        if (pattern[i] === "'") {
          if (pattern[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += pattern[i];
        i++;
      }
      // '' outside quoted text is a literal quote.
      const lit = text === '' ? "'" : text;
      parts.push(() => lit);
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      parts.push(symbol(c, j - i));
      i = j;
      continue;
    }
    parts.push(() => c);
    i++;
  }
  return (ts) => {
    const f = localFields(ts);
    let out = '';
    for (const p of parts) out += p(f, ts);
    return out;
  };
}
