/**
 * ListObjectsV2: GET /bucket?list-type=2, paged by an opaque continuation
 * token (ours wraps the store's resume position) or StartAfter.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
import { bucketInfoOf } from '../bucket-request.js';
import {
  decodeContinuationToken,
  encodeContinuationToken,
  optionalParam,
  parseEncodingType,
  parseMaxKeys,
} from '../list-params.js';
import { commonPrefixesXml, contentsXml, encodeOptional, nameEncoder } from '../listing-xml.js';
import type { S3Handler } from '../types.js';
import { renderXml } from '../xml.js';

export const listObjectsV2: S3Handler = async (req, { store }) => {
  const bucket = bucketInfoOf(req);
  const maxKeys = parseMaxKeys(req.query);
  const encodingType = parseEncodingType(req.query);
  const prefix = optionalParam(req.query, 'prefix');
  const delimiter = optionalParam(req.query, 'delimiter');
  const startAfter = optionalParam(req.query, 'start-after');
  const token = req.query.get('continuation-token') ?? undefined;
  const fetchOwner = req.query.get('fetch-owner') === 'true';
  // The token, when given, wins over start-after (both are echoed back).
  const after = token !== undefined ? decodeContinuationToken(token) : startAfter;
  const result =
    maxKeys === 0
      ? { objects: [], commonPrefixes: [], isTruncated: false, nextAfter: undefined }
      : store.listObjects(bucket.name, { prefix, delimiter, after, maxKeys });
  const encode = nameEncoder(encodingType);
  return {
    headers: { 'content-type': 'application/xml' },
    body: renderXml('ListBucketResult', {
      Name: bucket.name,
      Prefix: encode(prefix ?? ''),
      ContinuationToken: token,
      StartAfter: encodeOptional(encode, startAfter),
      KeyCount: result.objects.length + result.commonPrefixes.length,
      MaxKeys: maxKeys,
      Delimiter: encodeOptional(encode, delimiter),
      EncodingType: encodingType,
      IsTruncated: result.isTruncated,
      NextContinuationToken:
        result.isTruncated && result.nextAfter !== undefined
          ? encodeContinuationToken(result.nextAfter)
          : undefined,
      Contents: result.objects.map((v) => contentsXml(v, encode, fetchOwner)),
      CommonPrefixes: commonPrefixesXml(result.commonPrefixes, encode),
    }),
  };
};
