/**
 * Small mappings from store records to the schema's shapes, shared by the
 * resolvers: owners, metadata entries, tags, checksums.
 */
import type { Bucket, ObjectVersion, Tag } from '../../services/store/types.js';

export interface OwnerView {
  readonly id: string;
  readonly displayName: string;
}

export function ownerOf(r: Bucket | ObjectVersion): OwnerView {
  return { id: r.ownerId, displayName: r.ownerName };
}

/** Without the quotes S3 puts around entity tags in headers and XML. */
export function unquoteEtag(etag: string): string {
  return etag.length >= 2 && etag.startsWith('"') && etag.endsWith('"') ? etag.slice(1, -1) : etag;
}

export function metadataEntries(meta: Readonly<Record<string, string>>): { name: string; value: string }[] {
  return Object.keys(meta)
    .sort()
    .map((name) => ({ name, value: meta[name]! }));
}

export function tagViews(tags: readonly Tag[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ key: t.key, value: t.value }));
}
