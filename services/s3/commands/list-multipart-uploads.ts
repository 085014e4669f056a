/**
 * ListMultipartUploads: GET /bucket?uploads
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
 *
 * In-progress uploads in key order (uploads of one key by initiation time),
 * grouped by delimiter like ListObjects, max-uploads (default and at most
 * 1000) per page. upload-id-marker only counts together with key-marker.
 */
import { bucketInfoOf } from '../bucket-request.js';
import { optionalParam, parseEncodingType, parseMaxKeys } from '../list-params.js';
import { commonPrefixesXml, encodeOptional, nameEncoder } from '../listing-xml.js';
import { ownerXml } from '../owner-xml.js';
import type { S3Handler } from '../types.js';
import { renderXml } from '../xml.js';

export const listMultipartUploads: S3Handler = async (req, { store }) => {
  const bucket = bucketInfoOf(req).name;
  const encodingType = parseEncodingType(req.query);
  const encode = nameEncoder(encodingType);
  const prefix = optionalParam(req.query, 'prefix');
  const delimiter = optionalParam(req.query, 'delimiter');
  const keyMarker = optionalParam(req.query, 'key-marker');
  const uploadIdMarker = keyMarker === undefined ? undefined : optionalParam(req.query, 'upload-id-marker');
  const maxUploads = parseMaxKeys(req.query, 'max-uploads');
  const page = store.listMultipartUploads(bucket, {
    prefix,
    delimiter,
    keyMarker,
    uploadIdMarker,
    maxUploads,
  });
  return {
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: renderXml('ListMultipartUploadsResult', {
      Bucket: bucket,
      KeyMarker: encodeOptional(encode, keyMarker) ?? '',
      UploadIdMarker: uploadIdMarker ?? '',
      NextKeyMarker: page.isTruncated ? encodeOptional(encode, page.nextKeyMarker) : undefined,
      NextUploadIdMarker: page.isTruncated ? page.nextUploadIdMarker : undefined,
      Delimiter: encodeOptional(encode, delimiter),
      Prefix: encodeOptional(encode, prefix) ?? '',
      MaxUploads: maxUploads,
      IsTruncated: page.isTruncated,
      Upload: page.uploads.map((u) => {
        const owner = ownerXml(u.ownerId, u.ownerName);
        return {
          Key: encode(u.key),
          UploadId: u.uploadId,
          Initiator: owner,
          Owner: owner,
          StorageClass: u.storageClass,
          Initiated: u.initiated,
          ChecksumAlgorithm: u.checksumAlgorithm,
          ChecksumType: u.checksumAlgorithm === undefined ? undefined : 'COMPOSITE',
        };
      }),
      CommonPrefixes: commonPrefixesXml(page.commonPrefixes, encode),
      EncodingType: encodingType,
    }),
  };
};
