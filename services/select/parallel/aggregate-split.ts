/**
 * Aggregates in a parallel scan, with results identical to the sequential
 * scan's: a float SUM depends on the order of its additions, so pieces do not
 * add up partial sums. Instead the query is split in two:
 *
 *   per piece, on a worker:  SELECT <arg 1>, <arg 2>, … FROM … WHERE …
 *     (the aggregates' arguments, evaluated for the rows WHERE keeps)
 *   on the request's thread: SELECT <the SELECT list, each argument replaced
 *     by a column _p._aN> FROM S3Object _p
 *     fed with the pieces' argument values in object order, column by column
 *     (Float64Arrays when they are all numbers), through the engine's
 *     columnar path, whose aggregates add exactly as the row path does.
 *
 * The rewrite slices the original SQL text at token positions, so arguments
 * and the rest of the SELECT list keep their exact spelling.
 *
 * CSV fields are text, and SUM / AVG / MIN / MAX read text arguments as
 * numbers when they can; a value moved to the second query would lose that
 * ("text" is a static type of the argument). So on CSV only CAST(…) arguments
 * (and COUNT, which reads no value) are split.
 */
import type { Expr, SelectStatement } from '../sql/ast.js';
import type { Token } from '../sql/lexer-types.js';
import { tokenize } from '../sql/lexer.js';

export interface AggregateSplit {
  /** Runs per piece: the arguments, one output column each. */
  readonly pieceSql: string;
  /** Runs once over the argument columns named _a0, _a1, … */
  readonly mergeSql: string;
  /** How many argument columns pieceSql outputs (0: COUNT(*) only). */
  readonly argCount: number;
}

/** Column names of the merge query's input. */
export const argColumn = (i: number): string => `_a${i}`;

function aggregatesIn(node: unknown, out: Array<Expr & { k: 'agg' }>): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) aggregatesIn(n, out);
    return;
  }
  const e = node as { k?: string };
  if (e.k === 'agg') {
    out.push(node as Expr & { k: 'agg' });
    return;
  }
  for (const [key, value] of Object.entries(node)) if (key !== 'token') aggregatesIn(value, out);
}

/** Offset of a token in the SQL text (the lexer gives 1-based line and column). */
function offsetsOf(sql: string): (t: { line: number; column: number }) => number {
  const lineStarts = [0];
  for (let i = 0; i < sql.length; i++) if (sql.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return (t) => lineStarts[t.line - 1]! + t.column - 1;
}

/** The split of an aggregate query, or undefined when it cannot be split exactly. */
export function splitAggregates(
  sql: string,
  stmt: SelectStatement,
  csv: boolean,
): AggregateSplit | undefined {
  if (stmt.items === undefined) return undefined;
  const aggs: Array<Expr & { k: 'agg' }> = [];
  aggregatesIn(stmt.items, aggs);
  if (aggs.length === 0) return undefined;
  if (csv && aggs.some((a) => a.name !== 'COUNT' && (a.arg === '*' || a.arg.k !== 'cast'))) return undefined;
  const tokens: Token[] = tokenize(sql);
  const offset = offsetsOf(sql);
  const at = new Map<number, number>(tokens.map((t, i) => [offset(t), i]));
  const selectEnd = offset(tokens[0]!) + tokens[0]!.text.length;
  const fromStart = offset(stmt.fromToken);
  const args: string[] = [];
  let items = '';
  let copied = selectEnd;
  for (const agg of aggs) {
    if (agg.arg === '*') continue;
    const i = at.get(offset(agg.token));
    if (i === undefined || tokens[i + 1]?.type !== 'LEFT_PAREN') return undefined;
    let first = i + 2;
    if (tokens[first]?.type === 'KEYWORD' && tokens[first]!.value === 'ALL') first++;
    let depth = 1;
    let close = i + 2;
    for (; close < tokens.length; close++) {
      const type = tokens[close]!.type;
      if (type === 'LEFT_PAREN') depth++;
      else if (type === 'RIGHT_PAREN' && --depth === 0) break;
    }
    if (close >= tokens.length || first >= close) return undefined;
    const start = offset(tokens[first]!);
    const end = offset(tokens[close]!);
    args.push(sql.slice(start, end));
    items += sql.slice(copied, start) + `_p.${argColumn(args.length - 1)}`;
    copied = end;
  }
  items += sql.slice(copied, fromStart);
  const pieceSql = args.length === 0 ? undefined : `SELECT ${args.join(', ')} ${sql.slice(fromStart)}`;
  return {
    pieceSql: pieceSql ?? sql,
    // What stood before FROM separates it (a -- comment there ends with its line).
    mergeSql: `SELECT${items}${/\s$/.test(items) ? '' : ' '}FROM S3Object _p`,
    argCount: args.length,
  };
}
