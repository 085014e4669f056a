/**
 * Benchmark data for `npm run bench:select`: rows of 8 mixed columns (ints,
 * floats, low- and high-cardinality strings) from a seeded PRNG, written as a
 * CSV and the same rows as JSON LINES in one pass, or streamed as CSV for the
 * very large objects (never held in memory).
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { xorshift32 } from '../helpers/seeded-random.js';

export const CSV_HEADER = 'id,user_id,category,city,amount,qty,score,note\n';

const CATEGORIES = [
  'books',
  'music',
  'games',
  'garden',
  'tools',
  'toys',
  'food',
  'health',
  'sports',
  'home',
  'auto',
  'baby',
];
const CITIES = Array.from({ length: 50 }, (_, i) => `city${String(i).padStart(2, '0')}`);
const WORDS = [
  'alpha',
  'bravo',
  'charlie',
  'delta',
  'echo',
  'foxtrot',
  'golf',
  'hotel',
  'india',
  'juliet',
  'kilo',
  'lima',
];

interface Batch {
  readonly csv: string;
  readonly json: string;
}

/** Makes rows in batches; `json` false skips the JSON text (for CSV-only streams). */
export function rowMaker(seed = 42) {
  const rnd = xorshift32(seed);
  let id = 0;
  return (rows: number, json: boolean): Batch => {
    let csv = '';
    let js = '';
    for (let r = 0; r < rows; r++, id++) {
      const user = 1 + Math.floor(rnd() * 100_000);
      const category = CATEGORIES[Math.floor(rnd() * CATEGORIES.length)]!;
      const city = CITIES[Math.floor(rnd() * CITIES.length)]!;
      const amount = (Math.floor(rnd() * 100_000) / 100).toFixed(2);
      const qty = 1 + Math.floor(rnd() * 100);
      const score = (Math.floor(rnd() * 100_000) / 1000).toFixed(3);
      const words = 1 + Math.floor(rnd() * 4);
      let note = WORDS[Math.floor(rnd() * WORDS.length)]!;
      for (let w = 1; w < words; w++) note += ' ' + WORDS[Math.floor(rnd() * WORDS.length)]!;
      csv += `${id},${user},${category},${city},${amount},${qty},${score},${note}\n`;
      if (json) {
        js +=
          `{"id":${id},"user_id":${user},"category":"${category}","city":"${city}",` +
          `"amount":${amount},"qty":${qty},"score":${score},"note":"${note}"}\n`;
      }
    }
    return { csv, json: js };
  };
}

async function write(out: fs.WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
}

async function close(out: fs.WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

/** Writes a CSV of at least `minBytes` and the same rows as JSON LINES; returns the row count. */
export async function writeCsvAndJson(csvPath: string, jsonPath: string, minBytes: number): Promise<number> {
  const csv = fs.createWriteStream(csvPath);
  const json = fs.createWriteStream(jsonPath);
  const make = rowMaker();
  let bytes = 0;
  let rows = 0;
  await write(csv, CSV_HEADER);
  while (bytes < minBytes) {
    const b = make(10_000, true);
    bytes += Buffer.byteLength(b.csv);
    rows += 10_000;
    await write(csv, b.csv);
    await write(json, b.json);
  }
  await Promise.all([close(csv), close(json)]);
  return rows;
}

/** A CSV of at least `minBytes`, made as it is read (for multi-GB uploads). */
export function csvStream(minBytes: number, seed = 7): Readable {
  const make = rowMaker(seed);
  let sent = 0;
  let headerSent = false;
  return new Readable({
    read() {
      if (!headerSent) {
        headerSent = true;
        sent += CSV_HEADER.length;
        this.push(CSV_HEADER);
        return;
      }
      if (sent >= minBytes) {
        this.push(null);
        return;
      }
      const b = Buffer.from(make(20_000, false).csv);
      sent += b.length;
      this.push(b);
    },
  });
}
