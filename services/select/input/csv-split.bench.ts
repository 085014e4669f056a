/**
 * Micro-benchmark of the CSV and JSON LINES readers (a script, not a test):
 *   node dist/services/select/input/csv-split.bench.js [MB]
 * Builds a synthetic CSV of ~200 MB (10 columns) in 64 KB Buffers in memory,
 * then times readCsv splitting every field, splitting only the first two
 * fields (a projection), splitting rows where half the fields are quoted,
 * and readJson over similar rows as JSON LINES and DOCUMENT.
 */
import { readCsv } from './csv-reader.js';
import { readJson } from './json-reader.js';
import type { CsvInputOptions, InputRecord, Projection } from '../types.js';

const targetMb = Number(process.argv[2] ?? 200);
const CHUNK = 64 * 1024;

function chunked(text: string): Buffer[] {
  const all = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < all.length; i += CHUNK) out.push(all.subarray(i, i + CHUNK));
  return out;
}

function build(rows: (i: number) => string): Buffer[] {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < targetMb * 1024 * 1024; i++) {
    const line = rows(i);
    parts.push(line);
    size += line.length;
  }
  return chunked(parts.join(''));
}

const csvRow = (i: number) =>
  `${i},user${i % 9973},${(i * 7919) % 100000},${(i % 1000) / 10},2024-01-${String((i % 28) + 1).padStart(2, '0')},` +
  `alpha beta ${i % 13},${i % 2 === 0 ? 'true' : 'false'},${(i * 31) % 977},gamma,${i % 17}\n`;
const quotedRow = (i: number) =>
  `${i},"user${i % 9973}",${(i * 7919) % 100000},${(i % 1000) / 10},"2024-01-${String((i % 28) + 1).padStart(2, '0')}",` +
  `"alpha, beta ${i % 13}",${i % 2 === 0 ? 'true' : 'false'},${(i * 31) % 977},"say ""gamma""",${i % 17}\n`;
const jsonRow = (i: number) =>
  `{"id":${i},"user":"user${i % 9973}","amount":${(i * 7919) % 100000},"price":${(i % 1000) / 10},"flag":${i % 2 === 0}}\n`;

async function* iterate(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const c of chunks) yield c;
}

const csvOpts: CsvInputOptions = {
  fileHeaderInfo: 'NONE',
  fieldDelimiter: ',',
  recordDelimiter: '\n',
  quoteCharacter: '"',
  quoteEscapeCharacter: '"',
  comments: '',
  allowQuotedRecordDelimiter: false,
};

const allColumns: Projection = { allColumns: true, names: new Set(), positions: new Set() };
const twoColumns: Projection = { allColumns: false, names: new Set(), positions: new Set([0, 2]) };

async function time(label: string, bytes: number, run: () => Promise<number>): Promise<void> {
  await run(); // warm-up
  let wall = Infinity;
  let cpu = Infinity;
  let records = 0;
  for (let k = 0; k < 3; k++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    records = await run();
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, Number(process.hrtime.bigint() - t0) / 1e9);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  const mbs = (s: number) => (bytes / 1048576 / s).toFixed(0).padStart(5);
  // CPU time too: on a shared machine it is the steadier figure.
  console.log(`${label.padEnd(30)} ${mbs(wall)} MB/s wall ${mbs(cpu)} MB/s cpu  (${records} records)`);
}

async function main(): Promise<void> {
  const csv = build(csvRow);
  const csvBytes = csv.reduce((n, c) => n + c.length, 0);
  const quoted = build(quotedRow);
  const quotedBytes = quoted.reduce((n, c) => n + c.length, 0);
  const json = build(jsonRow);
  const jsonBytes = json.reduce((n, c) => n + c.length, 0);
  console.log(
    `CSV ${(csvBytes / 1048576).toFixed(0)} MB, JSON LINES ${(jsonBytes / 1048576).toFixed(0)} MB, ${CHUNK / 1024} KB chunks`,
  );
  const counters = () => ({ bytesScanned: 0, bytesProcessed: 0, bytesReturned: 0 });
  const csvRun =
    (projection: Projection, data = csv) =>
    async () => {
      let n = 0;
      const sink = (_r: InputRecord) => (n++, true);
      await readCsv(iterate(data), csvOpts, { projection, sink, bindHeader: () => {}, counters: counters() });
      return n;
    };
  await time('CSV split, all 10 fields', csvBytes, csvRun(allColumns));
  await time('CSV split, fields _1 and _3', csvBytes, csvRun(twoColumns));
  await time('CSV split, quoted fields', quotedBytes, csvRun(allColumns, quoted));
  await time('JSON LINES parse', jsonBytes, async () => {
    let n = 0;
    await readJson(
      iterate(json),
      { type: 'LINES' },
      { projection: allColumns, sink: () => (n++, true), counters: counters() },
    );
    return n;
  });
  await time('JSON DOCUMENT parse', jsonBytes, async () => {
    let n = 0;
    await readJson(
      iterate(json),
      { type: 'DOCUMENT' },
      { projection: allColumns, sink: () => (n++, true), counters: counters() },
    );
    return n;
  });
}

await main();
