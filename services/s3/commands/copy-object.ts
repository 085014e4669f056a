/**
 * CopyObject: PUT /bucket/key with x-amz-copy-source
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 *
 * The caller must be able to use the source bucket as well. Metadata and tags
 * are copied or replaced per x-amz-metadata-directive / x-amz-tagging-directive;
 * the x-amz-copy-source-if-* conditions are checked by the store against the
 * very version it copies, and refuses (InvalidRequest, as S3) a copy of an
 * object onto itself that changes nothing.
 */
import { errors, isS3Error } from '../../../shared/errors.js';
import type { CopyObjectOptions } from '../../store/types.js';
import { requireBucketAccess } from '../access.js';
import { bucketInfoOf } from '../bucket-request.js';
import { checksumAlgorithmOf } from '../checksum-headers.js';
import { checkPreconditions, readPreconditions } from '../conditions.js';
import { parseCopySource } from '../copy-source.js';
import { checksumElement, objectKey } from '../multipart-request.js';
import { versionIdHeader } from '../object-headers.js';
import {
  checkKeyLength,
  header,
  parseHttpHeaders,
  parseStorageClass,
  parseTagsHeader,
  parseUserMetadata,
} from '../put-options.js';
import type { S3Handler, S3Request } from '../types.js';
import { renderXml } from '../xml.js';

function directive(req: S3Request, name: string, what: string): 'COPY' | 'REPLACE' {
  const v = header(req.headers, name);
  if (v === undefined || v === 'COPY') return 'COPY';
  if (v === 'REPLACE') return 'REPLACE';
  throw errors.invalidArgument(`Unknown ${what} directive.`, name, v);
}

export const copyObject: S3Handler = async (req, { store }) => {
  const bucket = bucketInfoOf(req);
  const key = objectKey(req);
  checkKeyLength(key);
  const source = parseCopySource(header(req.headers, 'x-amz-copy-source'));
  const sourceBucket = requireBucketAccess(store, source.bucket, req.user);
  const metadataDirective = directive(req, 'x-amz-metadata-directive', 'metadata');
  const taggingDirective = directive(req, 'x-amz-tagging-directive', 'tagging');
  const storageClass = parseStorageClass(req.headers);
  const named = header(req.headers, 'x-amz-checksum-algorithm');
  const conditions = readPreconditions(req.headers, 'x-amz-copy-source-');
  const opts: CopyObjectOptions = {
    sourceVersionId: source.versionId,
    metadataDirective,
    taggingDirective,
    headers: metadataDirective === 'REPLACE' ? parseHttpHeaders(req.headers) : undefined,
    userMetadata: metadataDirective === 'REPLACE' ? parseUserMetadata(req.headers) : undefined,
    tags: taggingDirective === 'REPLACE' ? (parseTagsHeader(req.headers) ?? []) : undefined,
    storageClass,
    checksumAlgorithm:
      named === undefined ? undefined : checksumAlgorithmOf(named, 'x-amz-checksum-algorithm'),
    sourceCondition: (v) => checkPreconditions(v, conditions, 'copy-source'),
    signal: req.signal,
  };
  const { version, sourceVersion } = await store
    .copyObject(source.bucket, source.key, bucket.name, key, opts)
    .catch((e: unknown) => {
      // The store answers a delete marker's version id as a GET would (405); S3 words it for copies.
      if (isS3Error(e) && e.code === 'MethodNotAllowed' && source.versionId !== undefined) {
        throw errors.invalidRequest(
          'The source of a copy request may not specifically refer to a delete marker by version id.',
        );
      }
      throw e;
    });
  const alg = version.checksumAlgorithm;
  return {
    status: 200,
    headers: {
      'content-type': 'application/xml',
      ...versionIdHeader(bucket, version.versionId),
      'x-amz-copy-source-version-id':
        sourceBucket.versioning === undefined ? undefined : sourceVersion.versionId,
    },
    body: renderXml('CopyObjectResult', {
      ETag: version.etag,
      LastModified: version.lastModified,
      ...(alg !== undefined && version.checksum !== undefined
        ? {
            ChecksumType: /-\d+$/.test(version.checksum) ? 'COMPOSITE' : 'FULL_OBJECT',
            [checksumElement(alg)]: version.checksum,
          }
        : {}),
    }),
  };
};
