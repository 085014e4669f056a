/**
 * CompleteMultipartUpload: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 * Commits metadata only: the object's body is the list of the part blobs in
 * order, so no byte is copied. Parts not listed are freed, the upload is gone,
 * and the new version follows the bucket's versioning rules like a PUT.
 */
import { S3Error, errors } from '../../shared/errors.js';
import { encodeBodyRef, type Segment } from './body-ref.js';
import { compositeChecksum, multipartEtag, unquote } from './checksums.js';
import { appendEvent } from './events/outbox-append.js';
import type { StoredPart } from './metadata/metadata-store.js';
import { requireUpload } from './multipart-ops.js';
import type { StoreContext } from './store-context.js';
import type { CompletePart, ObjectPart, ObjectVersion } from './types.js';
import { addVersion, type WriteConditions } from './version-commit.js';

/** Every part but the last must be at least this large (S3: 5 MiB). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

function invalidPart(p: CompletePart): S3Error {
  return new S3Error('InvalidPart', undefined, { details: { PartNumber: p.partNumber, ETag: p.etag } });
}

/** Matches the listed parts to the uploaded ones, with S3's checks, in S3's order of checks. */
function chooseParts(
  listed: readonly CompletePart[],
  uploaded: readonly StoredPart[],
  minPartSize: number,
): StoredPart[] {
  if (listed.length === 0) {
    throw errors.malformedXML();
  }
  for (let i = 1; i < listed.length; i++) {
    if ((listed[i] as CompletePart).partNumber <= (listed[i - 1] as CompletePart).partNumber) {
      throw errors.make('InvalidPartOrder');
    }
  }
  const byNumber = new Map(uploaded.map((p) => [p.partNumber, p]));
  const chosen = listed.map((l) => {
    const p = byNumber.get(l.partNumber);
    if (!p || unquote(p.etag) !== unquote(l.etag)) throw invalidPart(l);
    if (l.checksum !== undefined && p.checksum !== undefined && l.checksum !== p.checksum)
      throw invalidPart(l);
    return p;
  });
  chosen.forEach((p, i) => {
    if (i < chosen.length - 1 && p.size < minPartSize) {
      throw errors.make('EntityTooSmall', undefined, {
        ProposedSize: p.size,
        MinSizeAllowed: minPartSize,
        PartNumber: p.partNumber,
        ETag: unquote(p.etag),
      });
    }
  });
  return chosen;
}

export function completeMultipartUpload(
  ctx: StoreContext,
  bucket: string,
  key: string,
  uploadId: string,
  listed: readonly CompletePart[],
  conditions: WriteConditions = {},
  minPartSize: number = MIN_PART_SIZE,
): ObjectVersion {
  return ctx.commit((scope) => {
    const upload = requireUpload(ctx, bucket, key, uploadId);
    const uploaded = ctx.meta.uploads.parts(uploadId);
    const chosen = chooseParts(listed, uploaded, minPartSize);
    const alg = upload.checksumAlgorithm;
    const checksums = chosen.map((p) => p.checksum);
    const hasChecksums = alg !== undefined && checksums.every((c) => c !== undefined);
    const segments: Segment[] = chosen.flatMap((p) => (p.blobId ? [{ id: p.blobId, size: p.size }] : []));
    const parts: ObjectPart[] = chosen.map((p) => ({
      partNumber: p.partNumber,
      size: p.size,
      etag: p.etag,
      ...(p.checksum === undefined ? {} : { checksum: p.checksum }),
    }));
    const version = addVersion(
      ctx,
      scope,
      {
        bucket,
        key,
        isDeleteMarker: false,
        size: chosen.reduce((n, p) => n + p.size, 0),
        etag: multipartEtag(chosen.map((p) => p.etag)),
        storageClass: upload.storageClass,
        headers: upload.headers,
        userMetadata: upload.userMetadata,
        tags: upload.tags,
        checksumAlgorithm: hasChecksums ? alg : undefined,
        checksum: hasChecksums ? compositeChecksum(alg, checksums as string[]) : undefined,
        parts,
        ownerId: upload.ownerId,
        ownerName: upload.ownerName,
        bodyRef: encodeBodyRef(segments),
      },
      conditions,
    );
    // The version now holds its own references; the upload's go away with it.
    ctx.meta.uploads.removeParts(uploadId);
    ctx.meta.uploads.remove(uploadId);
    scope.release(uploaded.flatMap((p) => (p.blobId ? [p.blobId] : [])));
    appendEvent(ctx, 's3:ObjectCreated:CompleteMultipartUpload', bucket, version);
    return version;
  });
}
