/**
 * Function calls, CAST, CASE and LIKE. A function of NULL is NULL and of
 * MISSING is MISSING, except COALESCE and NULLIF, which are defined on them
 * (SQL reference, conditional functions).
 */
import type { SelectValue } from '../types.js';
import type { CastType, DatePart, Expr } from './ast.js';
import { castTextToInt, castToInt, CASTS } from './cast.js';
import type { Compiled, CompileContext, Fn } from './compiled.js';
import { constant, dynamic, fold } from './compiled.js';
import { formatValue } from './format-value.js';
import { checkEscape, compileLike, type LikeMatcher } from './like.js';
import { compareWith } from './compile-predicates.js';
import { evalError } from './sql-error.js';
import { charLength, numberArg, stringArg, substring, trim } from './string-functions.js';
import { dateAdd, dateDiff, localFields, parseTimestamp, type DateAddPart } from './timestamp.js';
import { compileTimestampPattern, type TimestampFormatter } from './timestamp-format.js';
import { isTimestamp, typeName, type StaticType } from './values.js';
import type { SelectTimestamp } from '../types.js';

type CallExpr = Extract<Expr, { k: 'call' }>;

/** f applied to present arguments; NULL / MISSING pass through (MISSING wins). */
function strict(
  args: readonly Compiled[],
  type: StaticType,
  f: (vals: SelectValue[]) => SelectValue,
): Compiled {
  const fns = args.map((a) => a.fn);
  let fn: Fn;
  if (fns.length === 1) {
    const a = fns[0]!;
    fn = (row) => {
      const v = a(row);
      return v === undefined || v === null ? v : f([v]);
    };
  } else {
    fn = (row) => {
      const vals = fns.map((g) => g(row));
      if (vals.includes(undefined)) return undefined;
      if (vals.includes(null)) return null;
      return f(vals);
    };
  }
  return fold(dynamic(fn, type), args);
}

function timestampArg(fn: string, v: SelectValue): SelectTimestamp {
  if (isTimestamp(v)) return v;
  if (typeof v === 'string') {
    const ts = parseTimestamp(v);
    if (ts !== undefined) return ts;
    throw evalError('ValueParseFailure', `${fn}: '${v.slice(0, 64)}' is not a timestamp.`);
  }
  throw evalError('IncorrectSqlFunctionArgumentType', `${fn} needs a timestamp, not ${typeName(v)}.`);
}

function extract(part: DatePart, ts: SelectTimestamp): number {
  if (part === 'TIMEZONE_HOUR') return Math.trunc(ts.offsetMinutes / 60);
  if (part === 'TIMEZONE_MINUTE') return ts.offsetMinutes % 60;
  const f = localFields(ts);
  switch (part) {
    case 'YEAR':
      return f.year;
    case 'MONTH':
      return f.month;
    case 'DAY':
      return f.day;
    case 'HOUR':
      return f.hour;
    case 'MINUTE':
      return f.minute;
    default:
      return f.second + f.ms / 1000 + ts.nanos / 1e9;
  }
}

function toStringFn(pattern: Compiled): (ts: SelectTimestamp, p: string) => string {
  if (pattern.constant) {
    const p = pattern.fn(undefined);
    if (typeof p === 'string') {
      const format = compileTimestampPattern(p);
      return (ts) => format(ts);
    }
  }
  let last: [string, TimestampFormatter] | undefined;
  return (ts, p) => {
    if (last === undefined || last[0] !== p) last = [p, compileTimestampPattern(p)];
    return last[1](ts);
  };
}

export function compileCall(e: CallExpr, args: Compiled[], ctx: CompileContext): Compiled {
  switch (e.name) {
    case 'LIST': {
      const fns = args.map((a) => a.fn);
      return fold(
        dynamic((row) => fns.map((g) => g(row))),
        args,
      );
    }
    case 'COALESCE': {
      const fns = args.map((a) => a.fn);
      return fold(
        dynamic((row) => {
          for (const g of fns) {
            const v = g(row);
            if (v !== null && v !== undefined) return v;
          }
          return null;
        }),
        args,
      );
    }
    case 'NULLIF': {
      const [a, b] = args.map((x) => x.fn) as [Fn, Fn];
      const textNumbers = args.some((x) => x.type === 'text');
      return fold(
        dynamic((row) => {
          const x = a(row);
          if (x === undefined || x === null) return null;
          return compareWith('=', x, b(row), textNumbers) === true ? null : x;
        }, args[0]!.type),
        args,
      );
    }
    case 'LOWER':
      return strict(args, 'string', ([s]) => stringArg('LOWER', s).toLowerCase());
    case 'UPPER':
      return strict(args, 'string', ([s]) => stringArg('UPPER', s).toUpperCase());
    case 'CHAR_LENGTH':
      return strict(args, 'int', ([s]) => charLength(stringArg('CHAR_LENGTH', s)));
    case 'SUBSTRING':
      return strict(args, 'string', ([s, start, len]) =>
        substring(
          stringArg('SUBSTRING', s),
          numberArg('SUBSTRING', start),
          len === undefined ? undefined : numberArg('SUBSTRING', len),
        ),
      );
    case 'TO_TIMESTAMP':
      return strict(args, 'timestamp', ([s]) => {
        if (isTimestamp(s)) return s;
        return timestampArg('TO_TIMESTAMP', stringArg('TO_TIMESTAMP', s));
      });
    case 'TO_STRING': {
      const format = toStringFn(args[1]!);
      return strict(args, 'string', ([ts, p]) =>
        format(timestampArg('TO_STRING', ts), stringArg('TO_STRING', p)),
      );
    }
    case 'UTCNOW':
      return constant(ctx.now, 'timestamp');
    case 'DATE_ADD': {
      const part = e.part as DateAddPart;
      return strict(args, 'timestamp', ([n, ts]) =>
        dateAdd(part, Math.trunc(numberArg('DATE_ADD', n)), timestampArg('DATE_ADD', ts)),
      );
    }
    case 'DATE_DIFF': {
      const part = e.part as DateAddPart;
      return strict(args, 'int', ([a, b]) =>
        dateDiff(part, timestampArg('DATE_DIFF', a), timestampArg('DATE_DIFF', b)),
      );
    }
    case 'EXTRACT': {
      const part = e.part!;
      return strict(args, part === 'SECOND' ? 'number' : 'int', ([ts]) =>
        extract(part, timestampArg('EXTRACT', ts)),
      );
    }
    default:
      throw evalError('UnsupportedFunction', `Unsupported function ${e.name}.`);
  }
}

export function compileTrim(
  where: 'LEADING' | 'TRAILING' | 'BOTH',
  s: Compiled,
  chars: Compiled | undefined,
): Compiled {
  const args = chars === undefined ? [s] : [s, chars];
  return strict(args, 'string', ([v, c]) =>
    trim(stringArg('TRIM', v), where, c === undefined ? ' ' : stringArg('TRIM', c)),
  );
}

const CAST_TYPES: Record<CastType, StaticType> = {
  INT: 'int',
  FLOAT: 'float',
  DECIMAL: 'float',
  STRING: 'string',
  BOOL: 'bool',
  TIMESTAMP: 'timestamp',
};

export function compileCast(e: Compiled, type: CastType): Compiled {
  const f = e.fn;
  if (type === 'INT') {
    // The hot path of CSV filters: CAST(s._3 AS INT).
    return fold(
      dynamic((row) => {
        const v = f(row);
        return typeof v === 'string' ? castTextToInt(v) : castToInt(v);
      }, 'int'),
      [e],
    );
  }
  const cast = CASTS[type];
  return fold(
    dynamic((row) => cast(f(row)), CAST_TYPES[type]),
    [e],
  );
}

export function compileCase(
  subject: Compiled | undefined,
  whens: [Compiled, Compiled][],
  otherwise: Compiled | undefined,
): Compiled {
  const conds = whens.map(([w]) => w.fn);
  const results = whens.map(([, r]) => r.fn);
  const other = otherwise?.fn ?? (() => null);
  const n = conds.length;
  let fn: Fn;
  if (subject === undefined) {
    fn = (row) => {
      for (let i = 0; i < n; i++) if (conds[i]!(row) === true) return results[i]!(row);
      return other(row);
    };
  } else {
    const sf = subject.fn;
    const textNumbers = subject.type === 'text' || whens.some(([w]) => w.type === 'text');
    fn = (row) => {
      const v = sf(row);
      for (let i = 0; i < n; i++)
        if (compareWith('=', v, conds[i]!(row), textNumbers) === true) return results[i]!(row);
      return other(row);
    };
  }
  const all = [...(subject ? [subject] : []), ...whens.flat(), ...(otherwise ? [otherwise] : [])];
  return fold(dynamic(fn), all);
}

function likeText(v: SelectValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return formatValue(v);
  return undefined;
}

export function compileLikeExpr(
  e: Compiled,
  pattern: Compiled,
  escape: Compiled | undefined,
  not: boolean,
): Compiled {
  const f = e.fn;
  let matcher: (row: unknown) => LikeMatcher | null | undefined;
  const escapeOf = (v: SelectValue): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw evalError('LikeInvalidInputs', 'The ESCAPE of LIKE must be a string.');
    return checkEscape(v);
  };
  if (pattern.constant && (escape === undefined || escape.constant)) {
    const p = pattern.fn(undefined);
    if (p !== null && p !== undefined && typeof p !== 'string')
      throw evalError('LikeInvalidInputs', 'A LIKE pattern must be a string.');
    const m = typeof p === 'string' ? compileLike(p, escapeOf(escape?.fn(undefined))) : p;
    matcher = () => m;
  } else {
    let last: [string, string | undefined, LikeMatcher] | undefined;
    const pf = pattern.fn;
    const ef = escape?.fn;
    matcher = (row) => {
      const p = pf(row);
      if (p === null || p === undefined) return p;
      if (typeof p !== 'string') throw evalError('LikeInvalidInputs', 'A LIKE pattern must be a string.');
      const esc = escapeOf(ef?.(row));
      if (last === undefined || last[0] !== p || last[1] !== esc) last = [p, esc, compileLike(p, esc)];
      return last[2];
    };
  }
  const node = dynamic((row) => {
    const v = f(row);
    if (v === undefined || v === null) return v;
    const m = matcher(row);
    if (m === undefined || m === null) return m;
    const s = likeText(v);
    if (s === undefined) return false;
    return not ? !m(s) : m(s);
  }, 'bool');
  return fold(node, [e, pattern, ...(escape ? [escape] : [])]);
}
