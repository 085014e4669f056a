/**
 * CompleteMultipartUpload: POST /bucket/key?uploadId=ID
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 *
 * The body lists the parts to assemble, each with the ETag (and checksum)
 * UploadPart returned. The store checks order (InvalidPartOrder), existence
 * and ETags (InvalidPart) and sizes (EntityTooSmall), and commits the object
 * in one metadata transaction.
 *
 * Real S3 answers 200 at once and may send whitespace while it works, putting
 * a late error in that 200's body. Completing here touches metadata only, so
 * the answer comes quickly and errors keep their own status codes.
 */
import type { TLSSocket } from 'node:tls';
import { errors } from '../../../shared/errors.js';
import type { CompletePart } from '../../store/types.js';
import { bucketInfoOf } from '../bucket-request.js';
import {
  CHECKSUM_ALGORITHMS,
  checksumElement,
  MAX_PART_NUMBER,
  objectKey,
  quoteEtag,
  uploadIdOf,
} from '../multipart-request.js';
import { versionIdHeader } from '../object-headers.js';
import { parseWriteConditions } from '../put-options.js';
import type { S3Handler, S3Request } from '../types.js';
import { childList, childText, parseXml, readBodyText, renderXml, type XmlNode } from '../xml.js';

/** Room for 10,000 parts, each with an ETag and a SHA-256 checksum, and generous whitespace. */
const MAX_BODY_BYTES = MAX_PART_NUMBER * 512;

function parsePart(node: unknown): CompletePart {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) throw errors.malformedXML();
  const part = node as XmlNode;
  const numberText = childText(part, 'PartNumber')?.trim();
  if (numberText === undefined || !/^-?\d+$/.test(numberText)) throw errors.malformedXML();
  const partNumber = Number(numberText);
  if (partNumber < 1) throw errors.invalidArgument('PartNumber must be >= 1', 'PartNumber', numberText);
  const etag = childText(part, 'ETag');
  // A part without an ETag cannot match any uploaded part.
  if (etag === undefined || etag.trim() === '')
    throw errors.make('InvalidPart', undefined, { PartNumber: partNumber });
  let checksum: string | undefined;
  for (const alg of CHECKSUM_ALGORITHMS) checksum ??= childText(part, checksumElement(alg))?.trim();
  return { partNumber, etag: quoteEtag(etag), checksum };
}

export function parseCompleteMultipartUpload(text: string): CompletePart[] {
  const root = parseXml(text, 'CompleteMultipartUpload');
  const parts = childList(root, 'Part').map(parsePart);
  // The schema requires at least one Part.
  if (parts.length === 0) throw errors.malformedXML();
  return parts;
}

/** The object's URL as S3 reports it in Location: the key fully URI-encoded. */
function locationOf(req: S3Request, bucket: string, key: string): string {
  const tls = (req.raw.socket as Partial<TLSSocket>).encrypted === true;
  const host = req.headers.host ?? 'localhost';
  const virtualHosted = host.toLowerCase().startsWith(`${bucket.toLowerCase()}.`);
  const path = virtualHosted ? `/${encodeURIComponent(key)}` : `/${bucket}/${encodeURIComponent(key)}`;
  return `${tls ? 'https' : 'http'}://${host}${path}`;
}

export const completeMultipartUpload: S3Handler = async (req, { store }) => {
  const bucketInfo = bucketInfoOf(req);
  const bucket = bucketInfo.name;
  const key = objectKey(req);
  const uploadId = uploadIdOf(req.query);
  const conditions = parseWriteConditions(req.headers);
  const parts = parseCompleteMultipartUpload(await readBodyText(req.body, MAX_BODY_BYTES));
  const version = store.completeMultipartUpload(bucket, key, uploadId, parts, conditions);
  const alg = version.checksumAlgorithm;
  const checksum = version.checksum;
  return {
    status: 200,
    headers: {
      'content-type': 'application/xml',
      ...versionIdHeader(bucketInfo, version.versionId),
    },
    body: renderXml('CompleteMultipartUploadResult', {
      Location: locationOf(req, bucket, key),
      Bucket: bucket,
      Key: key,
      ETag: version.etag,
      ...(alg !== undefined && checksum !== undefined
        ? { [checksumElement(alg)]: checksum, ChecksumType: 'COMPOSITE' }
        : {}),
    }),
  };
};
