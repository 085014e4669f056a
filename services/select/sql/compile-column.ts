/**
 * Column references, compiled to direct access:
 * - CSV: `row[i]`, with i fixed at compile time (_N) or when the header is
 *   bound (names, FileHeaderInfo USE). Unquoted names match the header case-
 *   insensitively (two matches: AmbiguousFieldName); "quoted" names exactly.
 * - JSON and Parquet: a walk of property names and list indexes. Unquoted
 *   names match keys case-insensitively, an exact-case key first; an absent key
 *   is MISSING.
 * A first name that is the table alias (or S3Object) refers to the row.
 */
import type { CsvRow, SelectValue } from '../types.js';
import type { Expr, PathStep } from './ast.js';
import type { CompileContext, Compiled, Fn, Row } from './compiled.js';
import { dynamic } from './compiled.js';
import { evalError, parseError } from './sql-error.js';
import { isTimestamp } from './values.js';

type RefExpr = Extract<Expr, { k: 'ref' }>;

const POSITIONAL = /^_(\d+)$/;

/** A field of a struct, by name: exact key first, then (unquoted) a case-insensitive match. */
function getField(obj: SelectValue, name: string, quoted: boolean): SelectValue {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
  const rec = obj as Record<string, SelectValue>;
  if (Object.hasOwn(rec, name)) return rec[name];
  if (quoted || isTimestamp(obj)) return undefined;
  const lower = name.toLowerCase();
  let found: SelectValue;
  let count = 0;
  for (const key in rec) {
    if (key.toLowerCase() === lower && Object.hasOwn(rec, key)) {
      found = rec[key];
      count++;
    }
  }
  if (count > 1) throw evalError('AmbiguousFieldName', `The field name ${name} matches more than one field.`);
  return found;
}

export function stepValue(v: SelectValue, step: PathStep): SelectValue {
  if (step.kind === 'name') return getField(v, step.name, step.quoted);
  if (step.kind === 'index') return Array.isArray(v) ? (v as SelectValue[])[step.index] : undefined;
  return undefined;
}

/** Readers made by fieldReader, by quoting and name; past MAX_FIELD_READERS the cache starts again. */
const fieldReaders = new Map<string, Fn>();
const MAX_FIELD_READERS = 1024;

/**
 * getField(·, name, quoted) as a function of its own, made once per name for
 * the thread (a parallel scan compiles the query again for every piece, and
 * a new function would start cold each time). Values are plain objects,
 * arrays and primitives (SelectValue), so for a name that Object.prototype
 * lacks, a value other than undefined at `obj[name]` of a non-array object
 * is its own property: getField's answer. A load with a constant name is
 * one the JIT specialises per reference, where getField's `rec[name]` and
 * Object.hasOwn see every name the query reads (a WHERE on one JSON field:
 * 40 -> 25 ns per record). Anything else is left to getField.
 */
function fieldReader(name: string, quoted: boolean): Fn {
  if (name in Object.prototype) return (row: Row) => getField(row, name, quoted);
  const id = `${quoted ? 'q' : 'u'}${name}`;
  let read = fieldReaders.get(id);
  if (read === undefined) {
    if (fieldReaders.size >= MAX_FIELD_READERS) fieldReaders.clear();
    // The name enters the source only through JSON.stringify, which always yields a valid JS string literal.
    const key = JSON.stringify(name);
    const make = new Function(
      'getField',
      'quoted',
      `return (obj) => {
        if (typeof obj === 'object' && obj !== null && !Array.isArray(obj)) {
          const v = obj[${key}];
          if (v !== undefined) return v;
        }
        return getField(obj, ${key}, quoted);
      };`,
    ) as (get: typeof getField, quoted: boolean) => Fn;
    read = make(getField, quoted);
    fieldReaders.set(id, read);
  }
  return read;
}

/** A walk along name and index steps. */
export function compilePath(steps: readonly PathStep[]): Fn {
  if (steps.length === 0) return (row: Row) => row;
  const [a, b] = steps;
  if (steps.length === 1 && a!.kind === 'name') return fieldReader(a!.name, a!.quoted);
  if (steps.length === 2 && a!.kind === 'name' && b!.kind === 'name') {
    const first = fieldReader(a!.name, a!.quoted);
    const second = fieldReader(b!.name, b!.quoted);
    return (row: Row) => second(first(row));
  }
  return (row: Row) => {
    let v: SelectValue = row;
    for (const s of steps) {
      v = stepValue(v, s);
      if (v === undefined) return undefined;
    }
    return v;
  };
}

function isAlias(ctx: CompileContext, head: RefExpr['head']): boolean {
  const a = ctx.alias;
  if (a !== undefined) {
    if (head.quoted || a.quoted ? head.name === a.name : head.name.toLowerCase() === a.name.toLowerCase())
      return true;
  }
  return !head.quoted && head.name.toLowerCase() === 's3object';
}

/** The output name of a reference: its last name as written (undefined: a positional _N name is given). */
export function referenceName(e: RefExpr): string | undefined {
  const last = e.steps.at(-1);
  if (last === undefined) return e.head.name;
  return last.kind === 'name' ? last.name : undefined;
}

/** The steps a reference walks from the row: after the alias, or after _1 (JSON), or all of them. */
export function refPath(e: RefExpr, ctx: CompileContext): readonly PathStep[] {
  if (isAlias(ctx, e.head)) return e.steps;
  if (ctx.format !== 'CSV' && !e.head.quoted && e.head.name === '_1') return e.steps; // _1 is the row (JSON)
  return [e.head, ...e.steps];
}

export function compileRef(e: RefExpr, ctx: CompileContext, fromPathSet: boolean): Compiled {
  const aliased = isAlias(ctx, e.head);
  const rest = refPath(e, ctx);
  if (!ctx.inAggregate)
    ctx.bareColumns.push({ line: e.token.line, column: e.token.column, text: e.token.text });

  const wild = rest.find((s) => s.kind === 'wildcard');
  if (wild !== undefined)
    throw parseError(
      'ParseUnsupportedSyntax',
      wild.token,
      'Wildcards are allowed only in the FROM path and as alias.*.',
    );
  if (rest.length === 0) {
    readsAll(ctx);
    return dynamic((row) => row);
  }
  if (ctx.format !== 'CSV') {
    const first = rest[0]!;
    if (!fromPathSet) {
      if (first.kind === 'name') readsName(ctx, first.name);
      else readsAll(ctx);
    }
    return dynamic(compilePath(rest));
  }
  if (!aliased && e.steps.length > 0) {
    throw parseError('InvalidTableAlias', e.token, `${e.head.name} is not the table alias.`);
  }
  const first = rest[0]!;
  if (first.kind !== 'name')
    throw parseError('ParseInvalidPathComponent', first.token, 'A CSV column is named _N or by its header.');
  const column = csvColumn(first, ctx);
  if (rest.length === 1) return dynamic(column, 'text');
  const tail = compilePath(rest.slice(1));
  return dynamic((row) => tail(column(row)));
}

/** The query reads the top-level column `name` (and so does WHERE, while it compiles). */
function readsName(ctx: CompileContext, name: string): void {
  ctx.projection.names.add(name);
  ctx.reads?.names.add(name);
}

/** The query reads whole records. */
function readsAll(ctx: CompileContext): void {
  ctx.projection.allColumns = true;
  if (ctx.reads !== undefined) ctx.reads.allColumns = true;
}

/** `row[i]` for a CSV column: i from _N, or from the header when it is bound. */
function csvColumn(step: PathStep & { kind: 'name' }, ctx: CompileContext): Fn {
  const positional = step.quoted ? null : POSITIONAL.exec(step.name);
  if (positional !== null) {
    const n = Number(positional[1]);
    if (n < 1 || !Number.isSafeInteger(n))
      throw parseError('InvalidColumnIndex', step.token, `Invalid column index ${step.name}.`);
    ctx.projection.positions.add(n - 1);
    if (ctx.csvHeader !== 'USE') {
      const i = n - 1;
      return (row: Row) => (row as CsvRow)[i];
    }
  } else if (ctx.csvHeader !== 'USE') {
    throw parseError(
      'EvaluatorBindingDoesNotExist',
      step.token,
      `Column ${step.name} does not exist: with FileHeaderInfo ${ctx.csvHeader}, columns are named _1, _2, …`,
    );
  } else {
    readsName(ctx, step.name);
  }
  let i = positional === null ? -1 : Number(positional[1]) - 1;
  ctx.binders.push((header) => {
    const idx = resolveHeader(header, step.name, step.quoted);
    if (idx !== undefined) i = idx;
    else if (positional === null)
      throw evalError('MissingHeaderName', `The header has no column named ${step.name}.`);
    ctx.projection.positions.add(i);
  });
  return (row: Row) => (row as CsvRow)[i];
}

function resolveHeader(header: CsvRow, name: string, quoted: boolean): number | undefined {
  const exact = header.indexOf(name);
  if (quoted) return exact < 0 ? undefined : exact;
  const lower = name.toLowerCase();
  let found: number | undefined;
  for (let k = 0; k < header.length; k++) {
    if (header[k]!.toLowerCase() !== lower) continue;
    if (found !== undefined)
      throw evalError('AmbiguousFieldName', `The column name ${name} matches more than one header.`);
    found = k;
  }
  return found;
}
