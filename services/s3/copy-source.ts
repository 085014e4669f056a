/**
 * The x-amz-copy-source header of CopyObject and UploadPartCopy:
 * "bucket/key" or "/bucket/key", URL-encoded, optionally followed by
 * "?versionId=…".
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html#API_CopyObject_RequestSyntax
 */
import { errors } from '../../shared/errors.js';

export interface CopySource {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

const HEADER = 'x-amz-copy-source';

function invalid(message: string, value: string): Error {
  return errors.invalidArgument(message, HEADER, value);
}

export function parseCopySource(value: string | undefined): CopySource {
  if (value === undefined || value.trim() === '')
    throw invalid('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', '');
  const q = value.indexOf('?');
  const path = (q < 0 ? value : value.slice(0, q)).replace(/^\//, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw invalid('Invalid copy source encoding', value);
  }
  const slash = decoded.indexOf('/');
  const bucket = slash < 0 ? decoded : decoded.slice(0, slash);
  const key = slash < 0 ? '' : decoded.slice(slash + 1);
  if (bucket === '' || key === '') {
    throw invalid('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', value);
  }
  if (q < 0) return { bucket, key };
  const params = new URLSearchParams(value.slice(q + 1));
  const versionId = params.get('versionId');
  if (versionId === null) return { bucket, key };
  if (versionId === '') throw invalid('Version id cannot be the empty string', value);
  return { bucket, key, versionId };
}
