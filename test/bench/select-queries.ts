/**
 * The benchmark's queries, written once for S3 Select per input format (CSV
 * fields are text, so they are CAST) and once for DuckDB over the same file.
 */
export type BenchFormat = 'CSV' | 'JSON' | 'Parquet';

export interface BenchQuery {
  readonly name: string;
  /** S3 Select SQL for a format. */
  readonly strata: (format: BenchFormat) => string;
  /** DuckDB SQL, with `src` the table function reading the file. */
  readonly duckdb: (src: string) => string;
}

const num = (format: BenchFormat, col: string, type: 'INT' | 'FLOAT') =>
  format === 'CSV' ? `CAST(s.${col} AS ${type})` : `s.${col}`;

export const BENCH_QUERIES: readonly BenchQuery[] = [
  {
    name: 'filter+count',
    strata: (f) =>
      `SELECT COUNT(*) FROM S3Object s WHERE ${num(f, 'qty', 'INT')} > 50 AND s.category = 'books'`,
    duckdb: (src) => `SELECT COUNT(*) FROM ${src} WHERE qty > 50 AND category = 'books'`,
  },
  {
    name: 'project 2 cols',
    strata: (f) => `SELECT s.id, s.city FROM S3Object s WHERE ${num(f, 'score', 'FLOAT')} > 99.5`,
    duckdb: (src) => `SELECT id, city FROM ${src} WHERE score > 99.5`,
  },
  {
    name: 'SUM/AVG',
    strata: (f) => `SELECT SUM(${num(f, 'amount', 'FLOAT')}), AVG(${num(f, 'qty', 'INT')}) FROM S3Object s`,
    duckdb: (src) => `SELECT SUM(amount), AVG(qty) FROM ${src}`,
  },
];

/** DuckDB's table function for a local file of a format. */
export function duckdbSource(format: BenchFormat, file: string): string {
  if (format === 'CSV') return `read_csv('${file}', header = true)`;
  if (format === 'JSON') return `read_json('${file}', format = 'newline_delimited')`;
  return `read_parquet('${file}')`;
}
