/**
 * ListObjectVersions: GET /bucket?versions — every version and delete marker,
 * keys ascending and newest first per key, in one interleaved sequence.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
 */
import { errors } from '../../../shared/errors.js';
import { bucketInfoOf } from '../bucket-request.js';
import { optionalParam, parseEncodingType, parseMaxKeys } from '../list-params.js';
import {
  commonPrefixesXml,
  deleteMarkerXml,
  encodeOptional,
  nameEncoder,
  renderInterleaved,
  versionXml,
} from '../listing-xml.js';
import type { S3Handler } from '../types.js';
import type { XmlNode } from '../xml.js';

export const listObjectVersions: S3Handler = async (req, { store }) => {
  const bucket = bucketInfoOf(req);
  const maxKeys = parseMaxKeys(req.query);
  const encodingType = parseEncodingType(req.query);
  const prefix = optionalParam(req.query, 'prefix');
  const delimiter = optionalParam(req.query, 'delimiter');
  const keyMarker = optionalParam(req.query, 'key-marker');
  const versionIdMarker = optionalParam(req.query, 'version-id-marker');
  if (versionIdMarker !== undefined && keyMarker === undefined) {
    throw errors.invalidArgument(
      'A version-id marker cannot be specified without a key marker.',
      'version-id-marker',
      versionIdMarker,
    );
  }
  const result =
    maxKeys === 0
      ? {
          versions: [],
          commonPrefixes: [],
          isTruncated: false,
          nextKeyMarker: undefined,
          nextVersionIdMarker: undefined,
        }
      : store.listObjectVersions(bucket.name, { prefix, delimiter, keyMarker, versionIdMarker, maxKeys });
  const encode = nameEncoder(encodingType);
  const entries = result.versions.map((v): [string, XmlNode] =>
    v.isDeleteMarker ? ['DeleteMarker', deleteMarkerXml(v, encode)] : ['Version', versionXml(v, encode)],
  );
  return {
    headers: { 'content-type': 'application/xml' },
    body: renderInterleaved(
      'ListVersionsResult',
      {
        Name: bucket.name,
        Prefix: encode(prefix ?? ''),
        KeyMarker: encode(keyMarker ?? ''),
        VersionIdMarker: versionIdMarker ?? '',
        NextKeyMarker: result.isTruncated ? encodeOptional(encode, result.nextKeyMarker) : undefined,
        NextVersionIdMarker: result.isTruncated ? result.nextVersionIdMarker : undefined,
        MaxKeys: maxKeys,
        Delimiter: encodeOptional(encode, delimiter),
        EncodingType: encodingType,
        IsTruncated: result.isTruncated,
      },
      entries,
      { CommonPrefixes: commonPrefixesXml(result.commonPrefixes, encode) },
    ),
  };
};
