/**
 * uploadUrl: a presigned PUT for one object, signed with the caller's own
 * keys for the host the caller reached this server at.
 */
import { errors } from '../../shared/errors.js';
import { requireBucketAccess } from '../../services/s3/access.js';
import { MAX_EXPIRES_SECONDS } from '../../services/s3/auth/presigned-auth.js';
import { checkKeyLength } from '../../services/s3/put-options.js';
import type { GraphqlContext } from '../context.js';
import { presignPut } from '../presign/presign-put.js';

interface UploadUrlArgs {
  readonly bucket: string;
  readonly key: string;
  readonly expiresIn?: number | null;
  readonly contentType?: string | null;
}

export const uploadUrlMutations = {
  uploadUrl: (_: unknown, args: UploadUrlArgs, ctx: GraphqlContext) => {
    const bucket = requireBucketAccess(ctx.store, args.bucket, ctx.user);
    if (args.key === '') throw errors.invalidArgument('The key must not be empty', 'key', '');
    checkKeyLength(args.key);
    // URL parsers (browsers, fetch) drop "." and ".." segments, so such a URL would address another key.
    if (args.key.split('/').some((s) => s === '.' || s === '..')) {
      throw errors.invalidArgument(
        'A key with "." or ".." path segments cannot be given an upload URL',
        'key',
        args.key,
      );
    }
    const expiresIn = args.expiresIn ?? 3600;
    if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_SECONDS) {
      throw errors.invalidArgument(
        `expiresIn must be between 1 and ${MAX_EXPIRES_SECONDS} seconds`,
        'expiresIn',
        String(expiresIn),
      );
    }
    return presignPut({
      protocol: ctx.origin.protocol,
      host: ctx.origin.host,
      region: ctx.config.region,
      accessKey: ctx.user.accessKey,
      secretKey: ctx.user.secretKey,
      bucket: bucket.name,
      key: args.key,
      expiresSeconds: expiresIn,
      contentType: args.contentType ?? undefined,
      now: Date.now(),
    });
  },
};
