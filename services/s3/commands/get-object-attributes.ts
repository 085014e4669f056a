/**
 * GetObjectAttributes: GET /bucket/key?attributes[&versionId=]
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html
 *
 * x-amz-object-attributes names what to return (ETag, Checksum, ObjectParts,
 * StorageClass, ObjectSize). The ETag comes without quotes here, as S3 sends
 * it. ObjectParts exists only for multipart objects and lists its parts
 * (x-amz-max-parts / x-amz-part-number-marker) only when they carry
 * checksums; otherwise it gives just the count, as on S3.
 */
import { errors } from '../../../shared/errors.js';
import type { ObjectVersion } from '../../store/types.js';
import { checksumElement } from '../multipart-request.js';
import { versionIdHeader } from '../object-headers.js';
import { headLiveVersion } from '../object-read.js';
import { objectTarget } from '../object-request.js';
import { header } from '../put-options.js';
import type { S3Handler, S3Request } from '../types.js';
import { renderXml, type XmlNode } from '../xml.js';

const ATTRIBUTES = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'] as const;
type Attribute = (typeof ATTRIBUTES)[number];
const MAX_PARTS = 1000;

function requestedAttributes(req: S3Request): Set<Attribute> {
  const raw = header(req.headers, 'x-amz-object-attributes') ?? '';
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0)
    throw errors.invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', raw);
  for (const n of names) {
    if (!(ATTRIBUTES as readonly string[]).includes(n)) {
      throw errors.invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', n);
    }
  }
  return new Set(names as Attribute[]);
}

function integerHeader(req: S3Request, name: string, def: number): number {
  const raw = header(req.headers, name);
  if (raw === undefined || raw === '') return def;
  if (!/^\d{1,10}$/.test(raw.trim())) throw errors.invalidArgument(`Invalid value for ${name}.`, name, raw);
  return Number(raw.trim());
}

function checksumNode(v: ObjectVersion): XmlNode | undefined {
  if (v.checksumAlgorithm === undefined || v.checksum === undefined) return undefined;
  return {
    [checksumElement(v.checksumAlgorithm)]: v.checksum,
    ChecksumType: /-\d+$/.test(v.checksum) ? 'COMPOSITE' : 'FULL_OBJECT',
  };
}

function partsNode(req: S3Request, v: ObjectVersion): XmlNode | undefined {
  if (v.parts === undefined) return undefined;
  const maxParts = Math.min(integerHeader(req, 'x-amz-max-parts', MAX_PARTS), MAX_PARTS);
  const marker = integerHeader(req, 'x-amz-part-number-marker', 0);
  const alg = v.checksumAlgorithm;
  if (alg === undefined) return { PartsCount: v.parts.length };
  const after = v.parts.filter((p) => p.partNumber > marker);
  const page = after.slice(0, maxParts);
  const truncated = after.length > page.length;
  return {
    PartsCount: v.parts.length,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.length > 0 ? page[page.length - 1]!.partNumber : undefined,
    MaxParts: maxParts,
    IsTruncated: truncated,
    Part: page.map((p) => ({ PartNumber: p.partNumber, Size: p.size, [checksumElement(alg)]: p.checksum })),
  };
}

export const getObjectAttributes: S3Handler = async (req, { store }) => {
  const { bucket, key, versionId } = objectTarget(req);
  const wanted = requestedAttributes(req);
  const v = headLiveVersion(store, bucket.name, key, versionId, req.method);
  const body: XmlNode = {
    ETag: wanted.has('ETag') ? v.etag.replace(/^"(.*)"$/, '$1') : undefined,
    Checksum: wanted.has('Checksum') ? checksumNode(v) : undefined,
    ObjectParts: wanted.has('ObjectParts') ? partsNode(req, v) : undefined,
    StorageClass: wanted.has('StorageClass') ? v.storageClass : undefined,
    ObjectSize: wanted.has('ObjectSize') ? v.size : undefined,
  };
  return {
    status: 200,
    headers: {
      'content-type': 'application/xml',
      'last-modified': v.lastModified.toUTCString(),
      ...versionIdHeader(bucket, v.versionId),
    },
    body: renderXml('GetObjectAttributesResponse', body),
  };
};
