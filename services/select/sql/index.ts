/**
 * The S3 Select SQL engine: parse the expression once, compile it into JS
 * closures, and run it per record (see ../types.ts for the contract).
 *
 *   compileQuery(sql, opts) → SelectQuery: a CompiledQuery (process / finish /
 *                             done / mayMatch) plus processEach for FROM paths
 *                             that unnest (multiRow)
 *   formatValue(v)          → a value as text for CSV output
 *   toJsonValue(v)          → a value for JSON output (MISSING → undefined, omitted)
 */
export { compileQuery, type SelectQuery } from './compile-query.js';
export { formatValue, toJsonValue } from './format-value.js';
