/**
 * The XML pieces ListObjects, ListObjectsV2 and ListObjectVersions share:
 * the Contents / Version / DeleteMarker entries, CommonPrefixes and the
 * encoding-type=url rule.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ObjectVersion.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteMarkerEntry.html
 */
import type { ObjectVersion } from '../store/types.js';
import { ownerXml } from './owner-xml.js';
import { renderXml, type XmlNode } from './xml.js';

export type NameEncoder = (s: string) => string;

const identity: NameEncoder = (s) => s;

/**
 * encoding-type=url: keys are sent URL-encoded so that characters XML 1.0
 * cannot carry survive. S3 encodes like an HTML form (space as '+') and
 * leaves '/' alone.
 */
export function urlEncodeName(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}

export function nameEncoder(encodingType: 'url' | undefined): NameEncoder {
  return encodingType === 'url' ? urlEncodeName : identity;
}

/** Encodes an optional value (markers, prefix, delimiter echoed back). */
export function encodeOptional(encode: NameEncoder, s: string | undefined): string | undefined {
  return s === undefined ? undefined : encode(s);
}

function checksumFields(v: ObjectVersion): XmlNode {
  if (v.checksumAlgorithm === undefined) return {};
  return {
    ChecksumAlgorithm: v.checksumAlgorithm,
    ChecksumType: v.checksum?.includes('-') ? 'COMPOSITE' : 'FULL_OBJECT',
  };
}

/** One <Contents> of ListObjects / ListObjectsV2. */
export function contentsXml(v: ObjectVersion, encode: NameEncoder, withOwner: boolean): XmlNode {
  return {
    Key: encode(v.key),
    LastModified: v.lastModified,
    ETag: v.etag,
    ...checksumFields(v),
    Size: v.size,
    StorageClass: v.storageClass,
    Owner: withOwner ? ownerXml(v.ownerId, v.ownerName) : undefined,
  };
}

/** One <Version> of ListObjectVersions. */
export function versionXml(v: ObjectVersion, encode: NameEncoder): XmlNode {
  return {
    Key: encode(v.key),
    VersionId: v.versionId,
    IsLatest: v.isLatest,
    LastModified: v.lastModified,
    ETag: v.etag,
    ...checksumFields(v),
    Size: v.size,
    StorageClass: v.storageClass,
    Owner: ownerXml(v.ownerId, v.ownerName),
  };
}

/** One <DeleteMarker> of ListObjectVersions. */
export function deleteMarkerXml(v: ObjectVersion, encode: NameEncoder): XmlNode {
  return {
    Key: encode(v.key),
    VersionId: v.versionId,
    IsLatest: v.isLatest,
    LastModified: v.lastModified,
    Owner: ownerXml(v.ownerId, v.ownerName),
  };
}

export function commonPrefixesXml(prefixes: readonly string[], encode: NameEncoder): XmlNode[] {
  return prefixes.map((p) => ({ Prefix: encode(p) }));
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** One element rendered on its own, with renderXml's escaping. */
function element(name: string, node: XmlNode): string {
  return renderXml(name, node, { xmlns: false }).slice(DECLARATION.length);
}

/**
 * A document whose repeated entries of different names must keep their order
 * (ListObjectVersions interleaves Version and DeleteMarker by key, newest
 * first): `head` fields, then the entries in order, then `tail` fields.
 */
export function renderInterleaved(
  root: string,
  head: XmlNode,
  entries: ReadonlyArray<readonly [string, XmlNode]>,
  tail: XmlNode,
): string {
  const doc = renderXml(root, head);
  const closing = `</${root}>`;
  const tailXml = renderXml(root, tail, { xmlns: false });
  const tailInner = tailXml.slice(DECLARATION.length + `<${root}>`.length, -closing.length);
  return (
    doc.slice(0, -closing.length) +
    entries.map(([n, node]) => element(n, node)).join('') +
    tailInner +
    closing
  );
}
