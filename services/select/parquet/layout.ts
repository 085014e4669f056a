/**
 * The file's shape as the reader uses it: top-level columns (what a query
 * names), their leaf columns (what is stored), and per row group the byte
 * range of every column chunk, each checked against the file before use.
 */
import { parquetSchema, type ColumnMetaData, type FileMetaData, type SchemaTree } from 'hyparquet';
import { isPhysicalType, leafTypeOf, type LeafType } from './leaf-type.js';
import type { ParquetLimits } from './limits.js';
import { parquetParsingError } from './parquet-errors.js';

export interface LeafColumn {
  /** Path from the top-level column down to this leaf. */
  readonly path: readonly string[];
  readonly schemaPath: SchemaTree[];
  readonly type: LeafType;
  readonly maxDefinition: number;
  readonly maxRepetition: number;
  /** Index of this leaf's chunk in every row group. */
  readonly index: number;
}

export interface TopColumn {
  readonly name: string;
  /** 0-based position among the top-level columns (_1 is 0). */
  readonly position: number;
  readonly tree: SchemaTree;
  readonly leaves: readonly LeafColumn[];
  /** A single non-repeated leaf: decoded page by page without assembly. */
  readonly flat: boolean;
}

export interface ChunkLocation {
  readonly start: number;
  readonly end: number;
  readonly codec: string;
  readonly meta: ColumnMetaData;
}

export interface RowGroupLayout {
  readonly index: number;
  readonly numRows: number;
  /** By leaf index. */
  readonly chunks: readonly ChunkLocation[];
}

export interface FileLayout {
  readonly columns: readonly TopColumn[];
  readonly rowGroups: readonly RowGroupLayout[];
}

function toSafe(v: unknown, what: string): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw parquetParsingError(`invalid ${what}`);
  return n;
}

function depth(t: SchemaTree): number {
  let d = 0;
  for (const c of t.children) d = Math.max(d, depth(c));
  return d + 1;
}

function collectLeaves(tree: SchemaTree, path: SchemaTree[], out: LeafColumn[]): void {
  if (tree.children.length > 0) {
    for (const c of tree.children) collectLeaves(c, [...path, c], out);
    return;
  }
  const e = tree.element;
  if (!isPhysicalType(e.type)) throw parquetParsingError(`column ${e.name} has no physical type`);
  let maxDefinition = 0;
  let maxRepetition = 0;
  for (const node of path.slice(1)) {
    const r = node.element.repetition_type;
    if (r === 'OPTIONAL' || r === 'REPEATED') maxDefinition++;
    if (r === 'REPEATED') maxRepetition++;
  }
  out.push({
    path: path.slice(1).map((n) => String(n.element.name)),
    schemaPath: path,
    type: leafTypeOf(e, e.type),
    maxDefinition,
    maxRepetition,
    index: out.length,
  });
}

function chunkLocation(meta: ColumnMetaData, leaf: LeafColumn, footerStart: number): ChunkLocation {
  if (meta.type !== leaf.type.physical)
    throw parquetParsingError('column chunk type differs from the schema');
  const joined = Array.isArray(meta.path_in_schema) ? meta.path_in_schema.join('.') : undefined;
  if (joined !== leaf.path.join('.')) throw parquetParsingError('column chunk path differs from the schema');
  const data = toSafe(meta.data_page_offset, 'data page offset');
  const dict =
    meta.dictionary_page_offset === undefined ? 0 : toSafe(meta.dictionary_page_offset, 'dictionary offset');
  const start = dict > 0 && dict < data ? dict : data;
  const length = toSafe(meta.total_compressed_size, 'column chunk size');
  toSafe(meta.num_values, 'column chunk value count');
  if (start < 4 || length === 0 || start + length > footerStart) {
    throw parquetParsingError(`column chunk [${start}, ${start + length}) lies outside the data`);
  }
  return { start, end: start + length, codec: String(meta.codec), meta };
}

export function fileLayout(metadata: FileMetaData, footerStart: number, limits: ParquetLimits): FileLayout {
  if (!Array.isArray(metadata.schema) || metadata.schema.length === 0)
    throw parquetParsingError('empty schema');
  const root = parquetSchema(metadata);
  if (depth(root) > limits.maxNesting) throw parquetParsingError('schema nested too deeply');
  if (root.count !== metadata.schema.length) throw parquetParsingError('schema element count mismatch');
  const leaves: LeafColumn[] = [];
  const columns: TopColumn[] = root.children.map((tree, position) => {
    const own: LeafColumn[] = [];
    collectLeaves(tree, [root, tree], own);
    const mine = own.map((l) => ({ ...l, index: leaves.length + l.index }));
    leaves.push(...mine);
    const flat = tree.children.length === 0 && mine[0]!.maxRepetition === 0;
    return { name: String(tree.element.name), position, tree, leaves: mine, flat };
  });
  if (!Array.isArray(metadata.row_groups)) throw parquetParsingError('no row groups');
  const rowGroups = metadata.row_groups.map((rg, index) => {
    const numRows = toSafe(rg.num_rows, 'row count');
    if (!Array.isArray(rg.columns) || rg.columns.length !== leaves.length) {
      throw parquetParsingError('row group column count differs from the schema');
    }
    const chunks = rg.columns.map((chunk, i) => {
      if (chunk.file_path !== undefined)
        throw parquetParsingError('column chunks in other files are not supported');
      if (!chunk.meta_data) throw parquetParsingError('column chunk without metadata');
      return chunkLocation(chunk.meta_data, leaves[i]!, footerStart);
    });
    return { index, numRows, chunks };
  });
  return { columns, rowGroups };
}
