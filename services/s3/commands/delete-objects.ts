/**
 * DeleteObjects: POST /bucket?delete
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
 *
 * Up to 1000 keys (optionally with a VersionId each) in one Delete document,
 * which must come with a Content-MD5 or x-amz-checksum-* that matches it.
 * Each key is deleted on its own and reported as Deleted or Error; a key that
 * does not exist counts as deleted. Quiet mode reports only the errors.
 */
import { errors, isS3Error, type S3Error } from '../../../shared/errors.js';
import { readVerifiedBody } from '../body-digest.js';
import { bucketInfoOf } from '../bucket-request.js';
import type { S3Handler } from '../types.js';
import { childList, childText, parseXml, renderXml, type XmlNode, type XmlValue } from '../xml.js';

const MAX_KEYS = 1000;
/** 1000 keys of 1024 bytes, XML-escaped, fit comfortably. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

interface Target {
  readonly key: string;
  readonly versionId?: string;
}

function parseDelete(text: string): { quiet: boolean; targets: Target[] } {
  const root = parseXml(text, 'Delete');
  const quietText = childText(root, 'Quiet')?.trim().toLowerCase();
  if (quietText !== undefined && quietText !== 'true' && quietText !== 'false') throw errors.malformedXML();
  const objects = childList(root, 'Object');
  if (objects.length === 0 || objects.length > MAX_KEYS) throw errors.malformedXML();
  const targets = objects.map((o: XmlValue): Target => {
    if (typeof o !== 'object' || o === null || Array.isArray(o) || o instanceof Date)
      throw errors.malformedXML();
    const key = childText(o, 'Key');
    if (key === undefined) throw errors.malformedXML();
    const versionId = childText(o, 'VersionId');
    return versionId === undefined ? { key } : { key, versionId };
  });
  return { quiet: quietText === 'true', targets };
}

export const deleteObjects: S3Handler = async (req, { store, log }) => {
  const bucket = bucketInfoOf(req);
  const text = await readVerifiedBody(req, { limit: MAX_BODY_BYTES, required: true });
  const { quiet, targets } = parseDelete(text);
  const deleted: XmlNode[] = [];
  const failed: XmlNode[] = [];
  for (const { key, versionId } of targets) {
    try {
      if (versionId === '')
        throw errors.invalidArgument('Version id cannot be the empty string', 'versionId', '');
      const r = store.deleteObject(bucket.name, key, { versionId });
      if (quiet) continue;
      deleted.push({
        Key: key,
        VersionId: versionId,
        DeleteMarker: r.deleteMarker && bucket.versioning !== undefined ? true : undefined,
        DeleteMarkerVersionId: r.deleteMarker && bucket.versioning !== undefined ? r.versionId : undefined,
      });
    } catch (e) {
      const err: S3Error = isS3Error(e) ? e : errors.internal(e);
      if (!isS3Error(e)) log.error('DeleteObjects: delete failed', { requestId: req.requestId, key, err: e });
      failed.push({ Key: key, VersionId: versionId, Code: err.code, Message: err.message });
    }
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: renderXml('DeleteResult', { Deleted: deleted, Error: failed }),
  };
};
