/**
 * Which top-level columns a query needs (Projection → TopColumn[]), so that
 * only their column chunks are read. A name matches its column exactly or,
 * failing that, case-insensitively (S3 Select's unquoted identifiers are
 * case-insensitive; reading one column too many is only slower, never wrong,
 * since the engine resolves names itself). Positional references (_1, _2…)
 * select the column at that position.
 */
import type { Projection } from '../types.js';
import type { SchemaTree } from 'hyparquet';
import type { TopColumn } from './layout.js';
import { unsupportedParquetType } from './parquet-errors.js';

function unsupportedIn(tree: SchemaTree): string | undefined {
  const lt = tree.element.logical_type?.type;
  if (lt === 'VARIANT') return lt;
  for (const c of tree.children) {
    const u = unsupportedIn(c);
    if (u) return u;
  }
  return undefined;
}

export function selectColumns(all: readonly TopColumn[], projection: Projection): TopColumn[] {
  const lower = new Set([...projection.names].map((n) => n.toLowerCase()));
  const chosen = projection.allColumns
    ? [...all]
    : all.filter(
        (c) =>
          projection.names.has(c.name) ||
          lower.has(c.name.toLowerCase()) ||
          projection.positions.has(c.position),
      );
  for (const c of chosen) {
    const u = unsupportedIn(c.tree);
    if (u) throw unsupportedParquetType(`${u} column ${c.name}`);
    for (const leaf of c.leaves) {
      if (leaf.type.kind === 'unsupported') {
        throw unsupportedParquetType(`${leaf.type.unsupported ?? leaf.type.physical} column ${c.name}`);
      }
    }
  }
  return chosen;
}
