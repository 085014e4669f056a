/**
 * Readers of one top-level column within one row group, yielding the column's
 * values row by row in batches:
 * - a flat column (one non-repeated leaf) yields one batch per data page, so
 *   memory holds a page, not the row group, and LIMIT stops mid-group;
 * - a nested column (struct, list, map) reads its leaves' pages, then
 *   assembles them (Dremel levels) with the library's assembly into one batch
 *   for the whole row group.
 */
import { assembleLists, assembleNested } from 'hyparquet/src/assemble.js';
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import type { SelectValue, ScanCounters } from '../types.js';
import type { ChunkLocation, LeafColumn, RowGroupLayout, TopColumn } from './layout.js';
import type { ParquetLimits } from './limits.js';
import { decodeDataPage, decodeDictionaryPage, type DecodedPage } from './page-decode.js';
import { ChunkPages } from './page-stream.js';
import { PageSlices, type ColumnBatch } from './page-slices.js';
import type { Values } from './plain.js';
import { parquetParsingError } from './parquet-errors.js';
import type { RandomAccessObject } from './random-access.js';

export type { ColumnBatch };

export interface ColumnBatches {
  /** The next batch of row values (nulls included), or undefined at the end of the group. */
  next(): Promise<ColumnBatch | undefined>;
}

interface Env {
  readonly file: RandomAccessObject;
  readonly limits: ParquetLimits;
  readonly counters: ScanCounters;
}

/** Yields the decoded data pages of one leaf chunk, handling its dictionary. */
async function* leafPages(
  env: Env,
  leaf: LeafColumn,
  chunk: ChunkLocation,
  lazy = false,
): AsyncGenerator<DecodedPage> {
  const pages = new ChunkPages(env.file, chunk, env.limits, env.counters);
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
      yield decodeDataPage(header, page.data, leaf, chunk.codec, dictionary, env.limits, lazy);
    }
  }
}

/** Rows per batch of a flat column: small enough that a LIMIT decodes little. */
const SLICE_ROWS = 8192;

function flatColumn(env: Env, leaf: LeafColumn, group: RowGroupLayout): ColumnBatches {
  const pages = leafPages(env, leaf, group.chunks[leaf.index]!, true);
  let rows = 0;
  let slices: PageSlices | undefined;
  return {
    async next() {
      while (!slices || slices.remaining === 0) {
        if (rows >= group.numRows) return undefined;
        const r = await pages.next();
        if (r.done) throw parquetParsingError('column chunk holds fewer rows than its row group');
        rows += r.value.count;
        if (rows > group.numRows)
          throw parquetParsingError('column chunk holds more rows than its row group');
        slices = new PageSlices(r.value, leaf);
      }
      return slices.take(Math.min(SLICE_ROWS, slices.remaining));
    },
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

function nestedColumn(env: Env, column: TopColumn, group: RowGroupLayout): ColumnBatches {
  let done = false;
  return {
    async next() {
      if (done) return undefined;
      done = true;
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
      return { length: rows.length, values: rows as SelectValue[], indices: undefined };
    },
  };
}

export function columnBatches(env: Env, column: TopColumn, group: RowGroupLayout): ColumnBatches {
  return column.flat ? flatColumn(env, column.leaves[0]!, group) : nestedColumn(env, column, group);
}
