/**
 * ListParts: GET /bucket/key?uploadId=ID
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
 *
 * Pages through an upload's parts in part-number order: max-parts (default
 * and at most 1000) per page, starting after part-number-marker.
 */
import { bucketInfoOf } from '../bucket-request.js';
import { parseMaxKeys } from '../list-params.js';
import { checksumElement, objectKey, partNumberMarkerOf, uploadIdOf } from '../multipart-request.js';
import { ownerXml } from '../owner-xml.js';
import type { S3Handler } from '../types.js';
import { renderXml } from '../xml.js';

export const listParts: S3Handler = async (req, { store }) => {
  const bucket = bucketInfoOf(req).name;
  const key = objectKey(req);
  const uploadId = uploadIdOf(req.query);
  const maxParts = parseMaxKeys(req.query, 'max-parts');
  const partNumberMarker = partNumberMarkerOf(req.query);
  // Initiator, owner, storage class and checksum algorithm belong to the upload, not to a page of parts.
  const upload = store.getMultipartUpload(bucket, key, uploadId);
  const page = store.listParts(bucket, key, uploadId, { partNumberMarker, maxParts });
  const alg = upload.checksumAlgorithm;
  const owner = ownerXml(upload.ownerId, upload.ownerName);
  return {
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: renderXml('ListPartsResult', {
      Bucket: bucket,
      Key: key,
      UploadId: uploadId,
      PartNumberMarker: partNumberMarker ?? 0,
      NextPartNumberMarker: page.nextPartNumberMarker ?? page.parts.at(-1)?.partNumber ?? 0,
      MaxParts: maxParts,
      IsTruncated: page.isTruncated,
      Part: page.parts.map((p) => ({
        PartNumber: p.partNumber,
        LastModified: p.lastModified,
        ETag: p.etag,
        Size: p.size,
        ...(alg !== undefined && p.checksum !== undefined ? { [checksumElement(alg)]: p.checksum } : {}),
      })),
      Initiator: owner,
      Owner: owner,
      StorageClass: upload.storageClass,
      ChecksumAlgorithm: alg,
      ChecksumType: alg === undefined ? undefined : 'COMPOSITE',
    }),
  };
};
