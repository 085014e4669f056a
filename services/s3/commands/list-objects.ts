/**
 * ListObjects (version 1): GET /bucket, keys after `marker`.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
 *
 * NextMarker is sent only when a delimiter was given, as S3 does; without
 * one, clients resume after the last Key.
 */
import { bucketInfoOf } from '../bucket-request.js';
import { optionalParam, parseEncodingType, parseMaxKeys } from '../list-params.js';
import { commonPrefixesXml, contentsXml, encodeOptional, nameEncoder } from '../listing-xml.js';
import type { S3Handler } from '../types.js';
import { renderXml } from '../xml.js';

export const listObjects: S3Handler = async (req, { store }) => {
  const bucket = bucketInfoOf(req);
  const maxKeys = parseMaxKeys(req.query);
  const encodingType = parseEncodingType(req.query);
  const prefix = optionalParam(req.query, 'prefix');
  const delimiter = optionalParam(req.query, 'delimiter');
  const marker = optionalParam(req.query, 'marker');
  const result =
    maxKeys === 0
      ? { objects: [], commonPrefixes: [], isTruncated: false, nextAfter: undefined }
      : store.listObjects(bucket.name, { prefix, delimiter, after: marker, maxKeys });
  const encode = nameEncoder(encodingType);
  return {
    headers: { 'content-type': 'application/xml' },
    body: renderXml('ListBucketResult', {
      Name: bucket.name,
      Prefix: encode(prefix ?? ''),
      Marker: encode(marker ?? ''),
      MaxKeys: maxKeys,
      Delimiter: encodeOptional(encode, delimiter),
      EncodingType: encodingType,
      IsTruncated: result.isTruncated,
      NextMarker:
        result.isTruncated && delimiter !== undefined ? encodeOptional(encode, result.nextAfter) : undefined,
      Contents: result.objects.map((v) => contentsXml(v, encode, true)),
      CommonPrefixes: commonPrefixesXml(result.commonPrefixes, encode),
    }),
  };
};
