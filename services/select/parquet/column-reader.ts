/**
 * Readers of one top-level column within one row group, handing out the
 * column's row values in runs of the caller's choosing (so that the columns
 * of a batch line up):
 * - a flat column (one non-repeated leaf) reads one data page at a time, so
 *   memory holds a page, not the row group, and LIMIT stops mid-group; PLAIN
 *   values are decoded only as rows are taken;
 * - a nested column (struct, list, map) reads its leaves' pages, then
 *   assembles them (Dremel levels) with the library's assembly, for the whole
 *   row group at once.
 */
import { assembleLists, assembleNested } from 'hyparquet/src/assemble.js';
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import type { SelectValue, ScanCounters } from '../types.js';
import { PageBuffer } from './codecs.js';
import type { ChunkLocation, LeafColumn, RowGroupLayout, TopColumn } from './layout.js';
import type { ParquetLimits } from './limits.js';
import { decodeDataPage, decodeDictionaryPage, type DecodedPage } from './page-decode.js';
import { ChunkPages } from './page-stream.js';
import { PageSlices, type ColumnRun } from './page-slices.js';
import { SliceRoom, type Values } from './plain.js';
import { parquetParsingError } from './parquet-errors.js';
import type { RandomAccessObject } from './random-access.js';

export interface ColumnRows {
  /**
   * How many rows can be taken now without reading (0: ask available()),
   * so that the batch loop awaits, and so makes promises, only at page ends.
   */
  ready(): number;
  /**
   * How many rows can be taken at once (at least 1), reading the next page if
   * need be; throws when the column ends before its row group.
   */
  available(): Promise<number>;
  /** The next `n` rows' values (nulls included); n ≤ available(). */
  take(n: number): ColumnRun;
}

interface Env {
  readonly file: RandomAccessObject;
  readonly limits: ParquetLimits;
  readonly counters: ScanCounters;
  /**
   * Page buffers by leaf index, kept across the scan's row groups: a leaf's
   * pages are read one after the other, each done with when the next one is
   * asked for (see PageBuffer).
   */
  readonly pageBuffers?: Map<number, PageBuffer>;
}

function pageBuffer(env: Env, leaf: LeafColumn): PageBuffer {
  let b = env.pageBuffers?.get(leaf.index);
  if (!b) {
    b = new PageBuffer();
    env.pageBuffers?.set(leaf.index, b);
  }
  return b;
}

/** Yields the decoded data pages of one leaf chunk, handling its dictionary. */
async function* leafPages(
  env: Env,
  leaf: LeafColumn,
  chunk: ChunkLocation,
  lazy = false,
): AsyncGenerator<DecodedPage> {
  const pages = new ChunkPages(env.file, chunk, env.limits, env.counters);
  const into = pageBuffer(env, leaf);
  let dictionary: Values | undefined;
  for (;;) {
    const page = await pages.next();
    if (!page) return;
    const { header } = page;
    if (header.type === 'INDEX_PAGE') continue;
    env.counters.bytesProcessed += header.uncompressed_page_size;
    if (header.type === 'DICTIONARY_PAGE') {
      dictionary = decodeDictionaryPage(header, page.data, leaf, chunk.codec);
    } else {
      yield decodeDataPage(header, page.data, leaf, chunk.codec, dictionary, env.limits, lazy, into);
    }
  }
}

function flatColumn(env: Env, leaf: LeafColumn, group: RowGroupLayout): ColumnRows {
  const pages = leafPages(env, leaf, group.chunks[leaf.index]!, true);
  let rows = 0;
  let slices: PageSlices | undefined;
  const room = new SliceRoom();
  return {
    async available() {
      while (!slices || slices.remaining === 0) {
        if (rows >= group.numRows) throw parquetParsingError('column ended before its row group');
        const r = await pages.next();
        if (r.done) throw parquetParsingError('column chunk holds fewer rows than its row group');
        rows += r.value.count;
        if (rows > group.numRows)
          throw parquetParsingError('column chunk holds more rows than its row group');
        slices = new PageSlices(r.value, leaf, room);
      }
      return slices.remaining;
    },
    ready: () => (slices ? slices.remaining : 0),
    take: (n) => slices!.take(n),
  };
}

/** All levels and values of one leaf chunk, concatenated. */
async function wholeLeaf(env: Env, leaf: LeafColumn, chunk: ChunkLocation) {
  const definition: number[] = [];
  const repetition: number[] = [];
  const values: SelectValue[] = [];
  for await (const page of leafPages(env, leaf, chunk)) {
    if (definition.length + page.count > env.limits.maxValuesPerPage * 4) {
      throw parquetParsingError('nested column chunk too large');
    }
    for (let i = 0; i < page.count; i++) {
      definition.push(page.definition ? page.definition[i]! : leaf.maxDefinition);
      repetition.push(page.repetition ? page.repetition[i]! : 0);
    }
    const { indices } = page;
    if (indices) for (let i = 0; i < indices.length; i++) values.push(page.values[indices[i]!]);
    else for (let i = 0; i < page.values.length; i++) values.push(page.values[i]);
  }
  return { definition, repetition, values };
}

function nestedColumn(env: Env, column: TopColumn, group: RowGroupLayout): ColumnRows {
  let rows: SelectValue[] | undefined;
  let taken = 0;
  return {
    async available() {
      rows ??= await assembleColumn(env, column, group);
      if (taken >= rows.length) throw parquetParsingError('column ended before its row group');
      return rows.length - taken;
    },
    ready: () => (rows ? Math.max(0, rows.length - taken) : 0),
    take(n) {
      const values = taken === 0 && n === rows!.length ? rows! : rows!.slice(taken, taken + n);
      taken += n;
      return { length: n, values, indices: undefined };
    },
  };
}

/** A nested column's rows in one row group, assembled from its leaves' levels. */
async function assembleColumn(env: Env, column: TopColumn, group: RowGroupLayout): Promise<SelectValue[]> {
  const assembled = new Map<string, unknown[]>();
  for (const leaf of column.leaves) {
    const { definition, repetition, values } = await wholeLeaf(env, leaf, group.chunks[leaf.index]!);
    const rows = assembleLists([], definition, repetition, values, leaf.schemaPath);
    assembled.set(leaf.path.join('.'), rows as unknown[]);
  }
  if (column.tree.children.length > 0) assembleNested(assembled, column.tree, DEFAULT_PARSERS);
  const rows = assembled.get(column.name);
  if (!Array.isArray(rows) || rows.length !== group.numRows) {
    throw parquetParsingError('nested column rows differ from the row group');
  }
  for (let i = 0; i < rows.length; i++) if (rows[i] === undefined) rows[i] = null;
  return rows as SelectValue[];
}

export function columnRows(env: Env, column: TopColumn, group: RowGroupLayout): ColumnRows {
  return column.flat ? flatColumn(env, column.leaves[0]!, group) : nestedColumn(env, column, group);
}
