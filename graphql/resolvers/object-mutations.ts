/**
 * Object mutations, each one store call per object as the S3 handlers make
 * them, so the store records the same events: DeleteObjects, CopyObject,
 * PutObjectTagging.
 */
import { errors, isS3Error, type S3Error } from '../../shared/errors.js';
import { requireBucketAccess } from '../../services/s3/access.js';
import { checkKeyLength } from '../../services/s3/put-options.js';
import { OBJECT_TAG_LIMIT, validateTags } from '../../services/s3/tagging.js';
import type { CopyObjectOptions, Tag } from '../../services/store/types.js';
import type { GraphqlContext } from '../context.js';
import { versionIdArg } from './objects.js';

/** DeleteObjects takes at most 1000 keys per request. */
const MAX_DELETE_KEYS = 1000;

interface CopyInput {
  readonly sourceBucket: string;
  readonly sourceKey: string;
  readonly sourceVersionId?: string | null;
  readonly bucket: string;
  readonly key: string;
  readonly metadataDirective?: 'COPY' | 'REPLACE' | null;
  readonly contentType?: string | null;
  readonly userMetadata?: readonly { name: string; value: string }[] | null;
  readonly taggingDirective?: 'COPY' | 'REPLACE' | null;
  readonly tags?: readonly Tag[] | null;
}

function deleteObjects(
  args: { bucket: string; objects: readonly { key: string; versionId?: string | null }[] },
  ctx: GraphqlContext,
) {
  const bucket = requireBucketAccess(ctx.store, args.bucket, ctx.user);
  if (args.objects.length === 0 || args.objects.length > MAX_DELETE_KEYS) {
    throw errors.invalidArgument(
      `objects must hold 1 to ${MAX_DELETE_KEYS} entries`,
      'objects',
      String(args.objects.length),
    );
  }
  const versioned = bucket.versioning !== undefined;
  const deleted: object[] = [];
  const failed: object[] = [];
  for (const { key, versionId } of args.objects) {
    try {
      const r = ctx.store.deleteObject(bucket.name, key, { versionId: versionIdArg(versionId) });
      deleted.push({
        key,
        versionId: versionId ?? null,
        deleteMarker: r.deleteMarker && versioned,
        deleteMarkerVersionId: r.deleteMarker && versioned ? (r.versionId ?? null) : null,
      });
    } catch (e) {
      const err: S3Error = isS3Error(e) ? e : errors.internal(e);
      if (!isS3Error(e))
        ctx.log.error('deleteObjects: delete failed', { requestId: ctx.requestId, key, err: e });
      failed.push({ key, versionId: versionId ?? null, code: err.code, message: err.message });
    }
  }
  return { deleted, errors: failed };
}

async function copyObject(input: CopyInput, ctx: GraphqlContext) {
  const bucket = requireBucketAccess(ctx.store, input.bucket, ctx.user);
  requireBucketAccess(ctx.store, input.sourceBucket, ctx.user);
  checkKeyLength(input.key);
  const metadataDirective = input.metadataDirective ?? 'COPY';
  const taggingDirective = input.taggingDirective ?? 'COPY';
  const userMetadata: Record<string, string> = {};
  for (const m of input.userMetadata ?? []) userMetadata[m.name.toLowerCase()] = m.value;
  const opts: CopyObjectOptions = {
    sourceVersionId: versionIdArg(input.sourceVersionId),
    metadataDirective,
    taggingDirective,
    headers: metadataDirective === 'REPLACE' ? { contentType: input.contentType ?? undefined } : undefined,
    userMetadata: metadataDirective === 'REPLACE' ? userMetadata : undefined,
    tags:
      taggingDirective === 'REPLACE'
        ? validateTags(input.tags ?? [], { maxTags: OBJECT_TAG_LIMIT })
        : undefined,
  };
  const { version } = await ctx.store.copyObject(
    input.sourceBucket,
    input.sourceKey,
    bucket.name,
    input.key,
    opts,
  );
  return version;
}

export const objectMutations = {
  deleteObjects: (
    _: unknown,
    args: { bucket: string; objects: readonly { key: string; versionId?: string | null }[] },
    ctx: GraphqlContext,
  ) => deleteObjects(args, ctx),
  copyObject: (_: unknown, args: { input: CopyInput }, ctx: GraphqlContext) => copyObject(args.input, ctx),
  setObjectTags: (
    _: unknown,
    args: { bucket: string; key: string; versionId?: string | null; tags: readonly Tag[] },
    ctx: GraphqlContext,
  ) => {
    const bucket = requireBucketAccess(ctx.store, args.bucket, ctx.user);
    const tags = validateTags(args.tags, { maxTags: OBJECT_TAG_LIMIT });
    const version = ctx.store.putObjectTagging(bucket.name, args.key, tags, versionIdArg(args.versionId));
    return { ...version, tags };
  },
};
