/**
 * Micro-benchmark of the SQL engine alone (not a test): runs compiled queries
 * over one million synthetic CSV rows and prints records per second.
 *   node dist/services/select/sql/engine.bench.js [rows]
 */
import type { CsvRow } from '../types.js';
import { compileQuery } from './index.js';

const count = Number(process.argv[2] ?? 1_000_000);
const rows: CsvRow[] = [];
for (let i = 0; i < count; i++) {
  rows.push([
    `id${i}`,
    i % 10 === 0 ? 'x' : 'y',
    String((i * 7919) % 1000),
    (((i * 31) % 1000) / 7).toFixed(3),
    `name-${i % 100}`,
  ]);
}

const QUERIES = [
  'SELECT COUNT(*) FROM S3Object s WHERE CAST(s._3 AS INT) > 500',
  "SELECT s._1, s._5 FROM S3Object s WHERE s._2 = 'x'",
  'SELECT SUM(CAST(s._4 AS FLOAT)), AVG(CAST(s._4 AS FLOAT)) FROM S3Object s',
  'SELECT COUNT(*) FROM S3Object s WHERE s._3 > 500',
  "SELECT s._1 FROM S3Object s WHERE s._5 LIKE 'name-1%' AND s._2 IN ('x', 'z')",
];

for (const sql of QUERIES) {
  let best = Infinity;
  let out = 0;
  for (let round = 0; round < 5; round++) {
    const q = compileQuery(sql, { format: 'CSV', csvHeader: 'NONE' });
    out = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < rows.length; i++) if (q.process(rows[i]!) !== undefined) out++;
    const fin = q.finish();
    if (fin !== undefined) out++;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    best = Math.min(best, ms);
  }
  const rate = (rows.length / best) * 1000;
  console.log(
    `${(rate / 1e6).toFixed(1).padStart(6)} M records/s  ${best.toFixed(1).padStart(7)} ms  rows out ${out}  ${sql}`,
  );
}
