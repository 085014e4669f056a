/**
 * compileQuery: parses the SQL once and compiles it into a CompiledQuery whose
 * per-record work is a direct chain of closures (FROM path → WHERE → SELECT
 * list or aggregate step), with no interpretation of the syntax tree per row.
 */
import type { CompileOptions, CompiledQuery, CsvRow, InputRecord, OutputRow, SelectValue } from '../types.js';
import type { SelectStatement } from './ast.js';
import type { AggregateInput, AggregatePart, CompileContext, Fn, ProjectionBuilder } from './compiled.js';
import { referenceName } from './compile-column.js';
import { compileExpr, type ExprCompiler } from './compile-expr.js';
import { makeProcessColumns, type QueryState } from './columnar.js';
import { compileFromPath } from './from-path.js';
import { columnResolver, compileMayMatch } from './may-match.js';
import { CsvNames, makeRowBuilder, type OutputItem } from './output-row.js';
import { parseSelect } from './parser.js';
import { parseError } from './sql-error.js';
import { makeTimestamp } from './timestamp.js';

/**
 * A CompiledQuery that can also unnest: a JSON FROM path with wildcards
 * (FROM S3Object[*].books[*]) makes several rows of one record. `process`
 * returns only the first of them; `processEach` hands over every row and
 * works for every query.
 */
export interface SelectQuery extends CompiledQuery {
  /** True when one record can make more than one row (then use processEach). */
  readonly multiRow: boolean;
  /** Runs the query on one record, emitting each output row. */
  processEach(record: InputRecord, emit: (row: OutputRow) => void): void;
  /** Aggregate queries: what each aggregate folded so far, in SELECT-list order. */
  aggregateParts(): AggregatePart[];
  /** Folds in the parts of a later piece of the object (the same query's aggregateParts()). */
  mergeAggregateParts(parts: readonly AggregatePart[]): void;
}

function tableAlias(stmt: SelectStatement): { name: string; quoted: boolean } | undefined {
  if (stmt.alias !== undefined) return { name: stmt.alias, quoted: false };
  // "If you don't provide an alias when using a wildcard, you can refer to the row using the last element in the path."
  const last = stmt.fromPath.at(-1);
  return last?.kind === 'name' ? { name: last.name, quoted: last.quoted } : undefined;
}

export function compileQuery(sql: string, opts: CompileOptions): SelectQuery {
  const stmt = parseSelect(sql);
  if (opts.format === 'CSV' && (stmt.fromPath.length > 1 || stmt.fromPath[0]?.kind === 'name')) {
    throw parseError(
      'ParseInvalidPathComponent',
      stmt.fromPath.at(-1)!.token,
      'FROM paths apply to JSON objects only.',
    );
  }
  const alias = tableAlias(stmt);
  const ctx: CompileContext = {
    format: opts.format,
    csvHeader: opts.format === 'CSV' ? opts.csvHeader : 'NONE',
    alias,
    binders: [],
    // Compiled references read only the columns they add here.
    projection: { allColumns: false, names: new Set(), positions: new Set(), onlyThese: true },
    aggregates: [],
    reads: undefined,
    inAggregate: false,
    bareColumns: [],
    now: makeTimestamp(Date.now(), 0, 0, 'fraction'),
    recordValues: opts.recordValues === true,
  };
  const from = compileFromPath(stmt.fromPath);
  const pathSteps = stmt.fromPath.slice(1);
  if (pathSteps.length > 0) {
    const first = pathSteps[0]!;
    if (first.kind === 'name') ctx.projection.names.add(first.name);
    else ctx.projection.allColumns = true;
  }
  const compiler: ExprCompiler = { ctx, fromPathSet: pathSteps.length > 0, depth: 0 };

  // SELECT list.
  let items: OutputItem[] | undefined;
  if (stmt.items === undefined) {
    ctx.projection.allColumns = true;
  } else {
    items = stmt.items.map((item, i): OutputItem => {
      if (item.k === 'star') {
        const head = item.token;
        if (!isAliasName(head.value, head.type === 'QUOTED_IDENTIFIER', alias)) {
          throw parseError('InvalidTableAlias', head, `${head.value} is not the table alias.`);
        }
        ctx.projection.allColumns = true;
        ctx.bareColumns.push({ line: head.line, column: head.column, text: head.text });
        return { star: true };
      }
      const compiled = compileExpr(item.e, compiler);
      const name = item.alias ?? (item.e.k === 'ref' ? referenceName(item.e) : undefined) ?? `_${i + 1}`;
      return { name, fn: compiled.fn };
    });
  }
  const aggregates: AggregateInput[] = ctx.aggregates!;
  const isAggregate = aggregates.length > 0;
  if (isAggregate && (items === undefined || ctx.bareColumns.length > 0)) {
    const at = ctx.bareColumns[0] ?? { line: 1, column: 8, text: '*' };
    throw parseError(
      'ParseUnsupportedSelect',
      { type: 'IDENTIFIER', value: at.text, ...at },
      'Aggregate and non-aggregate expressions cannot be mixed in the SELECT list.',
    );
  }

  // WHERE: no aggregates there.
  ctx.aggregates = undefined;
  const whereReads: ProjectionBuilder = {
    allColumns: false,
    names: new Set(),
    positions: new Set(),
    onlyThese: true,
  };
  ctx.reads = whereReads;
  const where = stmt.where === undefined ? undefined : compileExpr(stmt.where, compiler);
  ctx.reads = undefined;
  let whereFn: Fn | undefined = where?.fn;
  let neverMatches = false;
  if (where?.constant) {
    neverMatches = where.fn(undefined) !== true;
    whereFn = undefined;
  }

  const limit = stmt.limit ?? Infinity;
  const csvNames = new CsvNames();
  const build = makeRowBuilder(items, opts.format, csvNames);
  const mayMatch = compileMayMatch(stmt.where, columnResolver(alias));
  const rowOf = from.single;
  // A WHERE that is never true needs no record at all (an aggregate then sums up nothing).
  const state: QueryState = { produced: 0, done: limit === 0 || neverMatches, limit };
  let finished = false;
  const step = aggregateStep(aggregates);

  // JSON records are rows here: WHERE may read a record of just its names first (Projection.filterNames).
  if (
    opts.format === 'JSON' &&
    whereFn !== undefined &&
    !from.multiRow &&
    fromIsRecord(stmt.fromPath) &&
    !whereReads.allColumns &&
    whereReads.positions.size === 0
  ) {
    ctx.projection.filterNames = whereReads.names;
  }

  const onRow = (row: SelectValue, complete?: () => InputRecord): OutputRow | undefined => {
    if (whereFn !== undefined && whereFn(row) !== true) return undefined;
    if (neverMatches) return undefined;
    if (complete !== undefined) row = complete() as SelectValue;
    if (isAggregate) {
      step(row);
      return undefined;
    }
    if (++state.produced >= limit) state.done = true;
    return build(row);
  };

  const query: SelectQuery = {
    projection: ctx.projection,
    isAggregate,
    multiRow: from.multiRow,
    bindHeader(header: CsvRow): void {
      if (opts.format !== 'CSV' || opts.csvHeader !== 'USE') return;
      csvNames.setHeader(header);
      for (const bind of ctx.binders) bind(header);
    },
    process(record: InputRecord, complete?: () => InputRecord): OutputRow | undefined {
      if (state.done) return undefined;
      // With `complete` the FROM path is the record itself (see filterNames above).
      return complete === undefined ? onRow(rowOf(record)) : onRow(record as SelectValue, complete);
    },
    processEach(record: InputRecord, emit: (row: OutputRow) => void): void {
      if (state.done) return;
      from.each(record as SelectValue, (row) => {
        if (state.done) return;
        const out = onRow(row);
        if (out !== undefined) emit(out);
      });
    },
    finish(): OutputRow | undefined {
      if (!isAggregate || finished || limit === 0) return undefined;
      finished = true;
      state.done = true;
      return build(undefined);
    },
    get done() {
      return state.done;
    },
    aggregateParts: () => aggregates.flatMap((a) => a.slots.map((slot) => slot.part())),
    mergeAggregateParts(parts: readonly AggregatePart[]): void {
      const slots = aggregates.flatMap((a) => a.slots);
      if (parts.length !== slots.length)
        throw new Error(`${parts.length} parts for ${slots.length} aggregates`);
      slots.forEach((slot, i) => slot.merge(parts[i]!));
    },
    mayMatch: (stats) => !neverMatches && mayMatch(stats),
  };
  // Batches (Parquet) when each record is one row: records are then the rows themselves.
  if (opts.format !== 'CSV' && !from.multiRow && fromIsRecord(stmt.fromPath)) {
    query.processColumns = makeProcessColumns({
      ctx,
      where: whereFn === undefined ? undefined : stmt.where,
      whereFn,
      items: stmt.items,
      itemNames: (items ?? []).map((i) => ('name' in i ? i.name : '*')),
      build,
      aggregates,
      isAggregate,
      state,
      processRecord: (record) => query.process(record),
    });
  }
  return query;
}

/** FROM S3Object or S3Object[*] (as compileFromPath reads it): the row is the record. */
function fromIsRecord(path: SelectStatement['fromPath']): boolean {
  return path.length === 0 || (path.length === 1 && path[0]!.kind === 'wildcard');
}

/**
 * Feeds one row to every aggregate, evaluating each distinct argument once,
 * in SELECT-list order. A closure per argument, called from a closure of
 * two (the usual SUM(x), AVG(y)): a loop over the inputs and their slots
 * cost SUM/AVG 110 ns per record where this costs 65 (engine
 * micro-benchmark), the loop's calls being the JIT's worst kind.
 */
function aggregateStep(inputs: readonly AggregateInput[]): (row: SelectValue) => void {
  const steps = inputs.map(({ fn, slots }): ((row: SelectValue) => void) => {
    if (slots.length === 1) {
      const slot = slots[0]!;
      return (row) => slot.add(fn(row));
    }
    return (row) => {
      const v = fn(row);
      for (let k = 0; k < slots.length; k++) slots[k]!.add(v);
    };
  });
  if (steps.length === 1) return steps[0]!;
  if (steps.length === 2) {
    const [first, second] = steps as [(row: SelectValue) => void, (row: SelectValue) => void];
    return (row) => {
      first(row);
      second(row);
    };
  }
  return (row) => {
    for (let k = 0; k < steps.length; k++) steps[k]!(row);
  };
}

function isAliasName(
  name: string,
  quoted: boolean,
  alias: { name: string; quoted: boolean } | undefined,
): boolean {
  if (!quoted && name.toLowerCase() === 's3object') return true;
  if (alias === undefined) return false;
  return quoted || alias.quoted ? name === alias.name : name.toLowerCase() === alias.name.toLowerCase();
}
