/**
 * Fields of the Object type, resolved from the store's ObjectVersion, and the
 * per-key version listing (Object.versions).
 */
import type { ObjectVersion } from '../../services/store/types.js';
import type { GraphqlContext } from '../context.js';
import { markersOfVersionsCursor, pageSize, versionsCursor } from './cursor.js';
import { metadataEntries, ownerOf, tagViews, unquoteEtag } from './views.js';

interface PageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
}

/** The versions of exactly this key: a prefix scan that stops at the first other key. */
function keyVersions(v: ObjectVersion, args: PageArgs, ctx: GraphqlContext) {
  const maxKeys = pageSize(args.first);
  const markers = markersOfVersionsCursor(args.after);
  const page = ctx.store.listObjectVersions(v.bucket, {
    prefix: v.key,
    keyMarker: markers.keyMarker ?? undefined,
    versionIdMarker: markers.versionIdMarker,
    maxKeys,
  });
  const items = page.versions.filter((x) => x.key === v.key);
  const more = page.isTruncated && items.length === page.versions.length;
  const last = items[items.length - 1];
  return {
    items,
    commonPrefixes: [],
    isTruncated: more,
    nextCursor: more && last !== undefined ? versionsCursor(last.key, last.versionId) : null,
  };
}

export const objectFields = {
  eTag: (v: ObjectVersion) => unquoteEtag(v.etag),
  contentType: (v: ObjectVersion) => v.headers.contentType ?? null,
  contentEncoding: (v: ObjectVersion) => v.headers.contentEncoding ?? null,
  contentDisposition: (v: ObjectVersion) => v.headers.contentDisposition ?? null,
  contentLanguage: (v: ObjectVersion) => v.headers.contentLanguage ?? null,
  cacheControl: (v: ObjectVersion) => v.headers.cacheControl ?? null,
  expires: (v: ObjectVersion) => v.headers.expires ?? null,
  userMetadata: (v: ObjectVersion) => metadataEntries(v.userMetadata),
  checksum: (v: ObjectVersion) =>
    v.checksumAlgorithm === undefined || v.checksum === undefined
      ? null
      : {
          algorithm: v.checksumAlgorithm,
          value: v.checksum,
          type: /-\d+$/.test(v.checksum) ? 'COMPOSITE' : 'FULL_OBJECT',
        },
  partsCount: (v: ObjectVersion) => v.parts?.length ?? null,
  tags: (v: ObjectVersion) => tagViews(v.tags),
  owner: (v: ObjectVersion) => ownerOf(v),
  versions: (v: ObjectVersion, args: PageArgs, ctx: GraphqlContext) => keyVersions(v, args, ctx),
};
