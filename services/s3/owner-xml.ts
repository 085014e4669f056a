/**
 * The Owner / Initiator node S3 puts in ListBuckets, ListObjects(V2),
 * ListObjectVersions, ListParts and ListMultipartUploads:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_Owner.html
 */
import type { XmlNode } from './xml.js';

export function ownerXml(id: string, displayName: string): XmlNode {
  return { ID: id, DisplayName: displayName };
}
