/**
 * Object queries: one version's metadata (HeadObject semantics: NoSuchKey for
 * a missing key or a current delete marker, NoSuchVersion for a missing version).
 */
import { errors } from '../../shared/errors.js';
import { requireBucketAccess } from '../../services/s3/access.js';
import type { GraphqlContext } from '../context.js';

/** A versionId argument: absent, or a non-empty id ("null" names the null version). */
export function versionIdArg(versionId: string | null | undefined): string | undefined {
  if (versionId === null || versionId === undefined) return undefined;
  if (versionId === '')
    throw errors.invalidArgument('Version id cannot be the empty string', 'versionId', '');
  return versionId;
}

export const objectQueries = {
  object: (
    _: unknown,
    args: { bucket: string; key: string; versionId?: string | null },
    ctx: GraphqlContext,
  ) => {
    const bucket = requireBucketAccess(ctx.store, args.bucket, ctx.user);
    return ctx.store.headObject(bucket.name, args.key, { versionId: versionIdArg(args.versionId) });
  },
};
