/**
 * CSV input of SelectObjectContent: bytes → UTF-8 text → CsvSplitter →
 * records for the engine, with FileHeaderInfo, ScanRange and LIMIT handled
 * here. See reader.ts for the contract with the caller.
 */
import { errors } from '../../../shared/errors.js';
import type { CsvInputOptions, CsvRow, Projection } from '../types.js';
import { CsvSplitter } from './csv-splitter.js';
import type { CsvReaderContext } from './reader.js';
import { clipToScanRange, scanRangeOpenOffset } from './scan-range.js';
import { Utf8Text } from './utf8-text.js';

export async function readCsv(
  input: AsyncIterable<Buffer>,
  opts: CsvInputOptions,
  ctx: CsvReaderContext,
): Promise<void> {
  const range = ctx.scanRange;
  const fromObjectStart = range === undefined || range.start === 0;
  let header: 'USE' | 'IGNORE' | 'NONE' = fromObjectStart ? opts.fileHeaderInfo : 'NONE';
  const splitter = new CsvSplitter(opts, (fields) => {
    if (header === 'NONE') return ctx.sink(fields);
    if (header === 'USE') bind(fields);
    header = 'NONE';
    return true;
  });
  const bind = (row: CsvRow) => {
    ctx.bindHeader(row);
    splitter.fieldLimit = fieldLimit(ctx.projection, row);
    splitter.fieldsUsed = fieldsUsed(ctx.projection, row, splitter.fieldLimit);
  };
  if (opts.fileHeaderInfo === 'USE' && !fromObjectStart) {
    if (ctx.openHeader === undefined) {
      throw errors.internal(new Error('readCsv: openHeader is required for USE with a ScanRange'));
    }
    const row = await readFirstRecord(ctx.openHeader(), opts, ctx);
    if (row !== undefined) bind(row);
  } else if (opts.fileHeaderInfo !== 'USE') {
    splitter.fieldLimit = fieldLimit(ctx.projection, undefined);
    splitter.fieldsUsed = fieldsUsed(ctx.projection, undefined, splitter.fieldLimit);
  }

  const source =
    range === undefined
      ? input
      : clipToScanRange(
          input,
          range,
          ctx.inputOffset ?? scanRangeOpenOffset(range, opts.recordDelimiter),
          opts.recordDelimiter,
        );
  await splitText(source, splitter, ctx, fromObjectStart);
}

/** Decodes `source` and feeds the splitter until the input ends or a handler says stop. */
async function splitText(
  source: AsyncIterable<Buffer>,
  splitter: CsvSplitter,
  ctx: Pick<CsvReaderContext, 'counters' | 'signal'>,
  atObjectStart: boolean,
): Promise<boolean> {
  const decoder = new Utf8Text();
  let first = atObjectStart;
  for await (const chunk of source) {
    if (ctx.signal?.aborted) return false;
    ctx.counters.bytesProcessed += chunk.length;
    let text = decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // UTF-8 byte order mark
      first = false;
    }
    if (!splitter.push(text)) return false;
  }
  const rest = decoder.end();
  if (rest.length > 0 && !splitter.push(rest)) return false;
  return splitter.end();
}

/** The object's first record (the header), read from its own stream. */
async function readFirstRecord(
  source: AsyncIterable<Buffer>,
  opts: CsvInputOptions,
  ctx: Pick<CsvReaderContext, 'counters' | 'signal'>,
): Promise<CsvRow | undefined> {
  let row: CsvRow | undefined;
  const splitter = new CsvSplitter(opts, (fields) => {
    row = fields;
    return false;
  });
  await splitText(source, splitter, ctx, true);
  return row;
}

/**
 * How many leading fields the query can reach: past the highest position it
 * names (_3 → 3) and the header columns its names match (case-insensitively,
 * a superset of how the engine resolves them). Unlimited when it reads every
 * column or a name the header does not have.
 */
export function fieldLimit(p: Projection, header: CsvRow | undefined): number {
  if (p.allColumns) return Infinity;
  let max = -1;
  for (const pos of p.positions) max = Math.max(max, pos);
  if (p.names.size > 0) {
    if (header === undefined) return Infinity;
    const wanted = new Set([...p.names].map((n) => n.toLowerCase()));
    const found = new Set<string>();
    header.forEach((h, i) => {
      const key = h.toLowerCase();
      if (wanted.has(key)) {
        found.add(key);
        max = Math.max(max, i);
      }
    });
    if (found.size < wanted.size) return Infinity;
  }
  return max + 1;
}

/**
 * Which of the first `limit` fields the query reads (1) — the positions it
 * names and the header columns its names match, as fieldLimit counts them —
 * or undefined when it may read any (or the projection does not say it
 * reads nothing else). Skipping the unused slices is a fifth of a scan.
 */
export function fieldsUsed(p: Projection, header: CsvRow | undefined, limit: number): Uint8Array | undefined {
  if (p.onlyThese !== true || !Number.isFinite(limit)) return undefined;
  const used = new Uint8Array(limit);
  for (const pos of p.positions) if (pos < limit) used[pos] = 1;
  if (p.names.size > 0 && header !== undefined) {
    const wanted = new Set([...p.names].map((n) => n.toLowerCase()));
    header.forEach((h, i) => {
      if (i < limit && wanted.has(h.toLowerCase())) used[i] = 1;
    });
  }
  return used;
}
