/**
 * Arithmetic (+ - * / %, unary -) and string concatenation (||).
 * NULL in, NULL out; MISSING in, MISSING out. Integers divide as integers
 * (5 / 2 = 2, as in PartiQL) unless an operand is known to be a float (a
 * literal like 2.0, CAST AS FLOAT/DECIMAL, AVG) or is text written as a
 * decimal. Division by zero gives NULL. Non-numeric operands are an
 * evaluation error; CSV text is read as a number (see values.ts).
 */
import type { SelectValue } from '../types.js';
import type { BinaryOp } from './ast.js';
import type { Compiled } from './compiled.js';
import { dynamic, fold } from './compiled.js';
import { formatValue } from './format-value.js';
import { evalError } from './sql-error.js';
import { textIsFloat, textToNumber, typeName, type StaticType } from './values.js';

interface Operand {
  n: number | bigint;
  float: boolean;
}

function operand(v: SelectValue, type: StaticType, op: string): Operand {
  if (typeof v === 'number') return { n: v, float: type === 'float' || !Number.isInteger(v) };
  if (typeof v === 'bigint') return { n: v, float: false };
  if (typeof v === 'string' && type === 'text') {
    const n = textToNumber(v);
    if (n !== undefined) return { n, float: textIsFloat(v) };
  }
  throw evalError(
    'ExternalEvalException',
    `Operator ${op} needs numbers, not ${typeName(v)}${typeof v === 'string' ? ` '${v.slice(0, 64)}'` : ''}.`,
  );
}

function applyBig(op: BinaryOp, a: bigint, b: bigint): SelectValue {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0n ? null : a / b;
    default:
      return b === 0n ? null : a % b;
  }
}

function apply(op: BinaryOp, a: Operand, b: Operand): SelectValue {
  if (typeof a.n === 'bigint' || typeof b.n === 'bigint') {
    // Integers beyond 2^53 (Parquet INT64) stay exact with other integers.
    const big = (o: Operand) =>
      typeof o.n === 'bigint' ? o.n : !o.float && Number.isSafeInteger(o.n) ? BigInt(o.n) : undefined;
    const x = big(a);
    const y = big(b);
    if (x !== undefined && y !== undefined) return applyBig(op, x, y);
    a = { n: Number(a.n), float: a.float };
    b = { n: Number(b.n), float: b.float };
  }
  const x = a.n as number;
  const y = b.n as number;
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      if (y === 0) return null;
      return a.float || b.float ? x / y : Math.trunc(x / y);
    default:
      if (y === 0) return null;
      return x % y;
  }
}

function resultType(l: StaticType, r: StaticType): StaticType {
  if (l === 'float' || r === 'float') return 'float';
  return l === 'int' && r === 'int' ? 'int' : 'number';
}

export function compileArithmetic(op: BinaryOp, l: Compiled, r: Compiled): Compiled {
  const lf = l.fn;
  const rf = r.fn;
  const lt = l.type;
  const rt = r.type;
  if (op === '||') {
    const text = (v: SelectValue) => (typeof v === 'string' ? v : formatValue(v));
    return fold(
      dynamic((row) => {
        const a = lf(row);
        const b = rf(row);
        if (a === undefined || b === undefined) return undefined;
        if (a === null || b === null) return null;
        return text(a) + text(b);
      }, 'string'),
      [l, r],
    );
  }
  const node = dynamic(
    (row) => {
      const a = lf(row);
      const b = rf(row);
      if (a === undefined || b === undefined) return undefined;
      if (a === null || b === null) return null;
      // Fast path: two plain numbers.
      if (typeof a === 'number' && typeof b === 'number' && op !== '/' && op !== '%') {
        return op === '+' ? a + b : op === '-' ? a - b : a * b;
      }
      return apply(op, operand(a, lt, op), operand(b, rt, op));
    },
    resultType(lt, rt),
  );
  return fold(node, [l, r]);
}

export function compileNegate(e: Compiled): Compiled {
  const f = e.fn;
  const t = e.type;
  return fold(
    dynamic(
      (row) => {
        const v = f(row);
        if (v === undefined || v === null) return v;
        if (typeof v === 'number') return -v;
        const o = operand(v, t, '-');
        return typeof o.n === 'bigint' ? -o.n : -o.n;
      },
      t === 'text' ? 'number' : t,
    ),
    [e],
  );
}
