/**
 * S3's versioning rules for writing a new version or delete marker of a key,
 * run inside a commit: https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
 * - never enabled / Suspended: the new version is the "null" version; an
 *   existing null version (object or delete marker) is replaced and its blobs freed;
 * - Enabled: the new version gets a fresh id and every older version stays.
 * Conditional writes (If-Match / If-None-Match) are checked against the latest
 * version inside the same transaction, so two racing writers cannot both pass.
 */
import { errors } from '../../shared/errors.js';
import { blobIdsOf } from './body-ref.js';
import { unquote } from './checksums.js';
import type { NewVersion, StoredVersion } from './metadata/metadata-store.js';
import type { CommitScope, StoreContext } from './store-context.js';
import { requireBucket } from './version-lookup.js';
import { newVersionId } from './version-id.js';

export interface WriteConditions {
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
}

export type VersionInput = Omit<NewVersion, 'versionId' | 'lastModified' | 'ownerId' | 'ownerName'> & {
  readonly ownerId?: string;
  readonly ownerName?: string;
};

function etagMatches(condition: string, etag: string): boolean {
  return condition
    .split(',')
    .map((c) => c.trim())
    .some((c) => c === '*' || unquote(c) === unquote(etag));
}

export function checkWriteConditions(
  latest: StoredVersion | undefined,
  key: string,
  c: WriteConditions,
): void {
  const current = latest && !latest.isDeleteMarker ? latest : undefined;
  if (c.ifNoneMatch !== undefined && current && etagMatches(c.ifNoneMatch, current.etag)) {
    throw errors.preconditionFailed('If-None-Match');
  }
  if (c.ifMatch !== undefined) {
    if (!current) throw errors.noSuchKey(key);
    if (!etagMatches(c.ifMatch, current.etag)) throw errors.preconditionFailed('If-Match');
  }
}

/** Removes one version row and frees its blobs. */
export function removeVersion(ctx: StoreContext, scope: CommitScope, v: StoredVersion): void {
  ctx.meta.versions.remove(v);
  scope.release(blobIdsOf(v.bodyRef));
}

/** Adds a version (or delete marker) following the bucket's versioning state; retains its blobs. */
export function addVersion(
  ctx: StoreContext,
  scope: CommitScope,
  input: VersionInput,
  conditions: WriteConditions = {},
): StoredVersion {
  const bucket = requireBucket(ctx.meta, input.bucket);
  if (conditions.ifMatch !== undefined || conditions.ifNoneMatch !== undefined) {
    checkWriteConditions(ctx.meta.versions.latest(input.bucket, input.key), input.key, conditions);
  }
  // Retain first: the new version may share the blob of the version it replaces
  // (a copy onto itself), which must not drop to zero references in between.
  scope.retain(blobIdsOf(input.bodyRef));
  let versionId = 'null';
  if (bucket.versioning === 'Enabled') {
    versionId = newVersionId();
  } else {
    const old = ctx.meta.versions.get(input.bucket, input.key, 'null');
    if (old) removeVersion(ctx, scope, old);
  }
  const v = ctx.meta.versions.insert({
    ...input,
    versionId,
    lastModified: new Date(),
    ownerId: input.ownerId ?? bucket.ownerId,
    ownerName: input.ownerName ?? bucket.ownerName,
  });
  return v;
}
