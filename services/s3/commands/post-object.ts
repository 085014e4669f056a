/**
 * PostObject: POST /bucket with a multipart/form-data body (browser-based upload)
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-UsingHTTPPOST.html
 *
 * The route authenticates itself: the form carries a signed POST policy
 * instead of an Authorization header. The fields before the file are read,
 * the signature and the policy checked, then the file part streams into the
 * store through the policy's content-length-range. ${filename} in any field
 * becomes the uploaded file's name (the part after the last / or \).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { errors } from '../../../shared/errors.js';
import type { Bucket, ObjectVersion, PutObjectOptions } from '../../store/types.js';
import { requireBucketAccess } from '../access.js';
import { setRequestPrincipal } from '../../../shared/request-context.js';
import { authenticatePostForm } from '../auth/post-auth.js';
import { checkPostPolicy, type FormField } from '../auth/post-policy-check.js';
import { versionIdHeader } from '../object-headers.js';
import { checkKeyLength, parseHttpHeaders, parseStorageClass, parseUserMetadata } from '../put-options.js';
import { OBJECT_TAG_LIMIT, parseTaggingXml } from '../tagging.js';
import type { S3Handler, S3Request, S3Response } from '../types.js';
import { renderXml } from '../xml.js';
import { readPostForm, type PostFormFile } from './post-object-form.js';
import { sizeChecked } from './post-object-size.js';

const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'aws-exec-read',
  'authenticated-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
];

/** "C:\dir\a.txt" → "a.txt": S3 keeps what follows the last slash or backslash. */
function baseName(filename: string): string {
  return filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
}

/** Replaces ${filename} in every field; a file part without a filename leaves it as written (as S3 does). */
function expandFilename(fields: Map<string, FormField>, file: PostFormFile): void {
  if (file.filename === undefined) return;
  const name = baseName(file.filename);
  for (const [k, f] of fields) {
    if (f.value.includes('${filename}'))
      fields.set(k, { name: f.name, value: f.value.split('${filename}').join(name) });
  }
}

/**
 * A form value as a header value. Metadata that is not plain ASCII is stored
 * RFC 2047-encoded, as S3 does for POST uploads ("=?UTF-8?Q?=C3=84…?=", or B
 * for control characters); other fields keep their UTF-8 bytes, one char per
 * byte, exactly as node hands over the headers of a PutObject.
 */
function headerValue(name: string, value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const bytes = Buffer.from(value, 'utf8');
  if (!name.startsWith('x-amz-meta-')) return bytes.toString('latin1');
  if (/[\x00-\x1f\x7f]/.test(value)) return `=?UTF-8?B?${bytes.toString('base64')}?=`;
  let q = '';
  for (const b of bytes) {
    if (b === 0x20) q += '_';
    else if (b > 0x20 && b < 0x7f && b !== 0x3d && b !== 0x3f && b !== 0x5f) q += String.fromCharCode(b);
    else q += '=' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return `=?UTF-8?Q?${q}?=`;
}

/** The object's attributes from the form fields, read like the headers of a PutObject. */
function putOptionsOf(fields: Map<string, FormField>, req: S3Request, maxSize: number): PutObjectOptions {
  const headers: IncomingHttpHeaders = {};
  for (const [k, f] of fields) headers[k] = headerValue(k, f.value);
  const acl = fields.get('acl')?.value;
  if (acl !== undefined && !CANNED_ACLS.includes(acl))
    throw errors.invalidArgument('Invalid canned ACL', 'x-amz-acl', acl);
  const md5 = fields.get('content-md5')?.value;
  if (md5 !== undefined && !/^[A-Za-z0-9+/]{22}==$/.test(md5))
    throw errors.make('InvalidDigest', undefined, { 'Content-MD5': md5 });
  const tagging = fields.get('tagging')?.value;
  return {
    headers: parseHttpHeaders(headers),
    userMetadata: parseUserMetadata(headers),
    storageClass: parseStorageClass(headers),
    tags: tagging === undefined ? undefined : parseTaggingXml(tagging, { maxTags: OBJECT_TAG_LIMIT }),
    contentMd5: md5,
    maxSize,
    signal: req.signal,
  };
}

/** The object's URL, path-style or virtual-host style as the form was posted. */
function objectUrl(req: S3Request, bucket: string, key: string): string {
  const proto = (req.raw.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const host = req.headers.host ?? 'localhost';
  const path = (req.raw.url ?? '/').split('?')[0]!;
  const pathStyle = path !== '/' && path !== '';
  return `${proto}://${host}${pathStyle ? `/${encodeURIComponent(bucket)}` : ''}/${encodeURIComponent(key)}`;
}

/** success_action_redirect (or the older redirect) when it is an absolute http(s) URL; S3 ignores others. */
function redirectOf(fields: Map<string, FormField>): string | undefined {
  const target = fields.get('success_action_redirect')?.value ?? fields.get('redirect')?.value;
  if (target === undefined) return undefined;
  try {
    const u = new URL(target);
    return u.protocol === 'http:' || u.protocol === 'https:' ? target : undefined;
  } catch {
    return undefined;
  }
}

function respond(
  fields: Map<string, FormField>,
  bucket: Bucket,
  key: string,
  v: ObjectVersion,
  location: string,
): S3Response {
  const headers = { etag: v.etag, location, ...versionIdHeader(bucket, v.versionId) };
  const redirect = redirectOf(fields);
  if (redirect !== undefined) {
    // S3 appends bucket, key and etag to the URL's own query, form-encoded.
    const hash = redirect.indexOf('#');
    const base = hash < 0 ? redirect : redirect.slice(0, hash);
    const params = new URLSearchParams({ bucket: bucket.name, key, etag: v.etag }).toString();
    const raw = `${base}${base.includes('?') ? '&' : '?'}${params}${hash < 0 ? '' : redirect.slice(hash)}`;
    // A header carries ASCII only: percent-encode anything else the page's URL holds.
    const url = raw.replace(/[^\x20-\x7e]+/g, (c) => encodeURIComponent(c));
    return { status: 303, headers: { ...headers, location: url } };
  }
  const status = fields.get('success_action_status')?.value;
  if (status === '200') return { status: 200, headers };
  if (status === '201') {
    const body = renderXml(
      'PostResponse',
      { Location: location, Bucket: bucket.name, Key: key, ETag: v.etag },
      { xmlns: false },
    );
    return { status: 201, headers: { ...headers, 'content-type': 'application/xml' }, body };
  }
  return { status: 204, headers };
}

export const postObject: S3Handler = async (req, { store, config }) => {
  const bucketName = req.bucket!;
  if (store.getBucket(bucketName) === undefined) throw errors.noSuchBucket(bucketName);
  const form = readPostForm(req.raw);
  try {
    const { fields, file } = await form.head;
    if (file === undefined)
      throw errors.invalidArgument('POST requires exactly one file upload per request.', 'file', '0');
    expandFilename(fields, file);
    const key = fields.get('key')?.value;
    if (key === undefined || key === '') {
      throw errors.invalidArgument(
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
        'key',
        '',
      );
    }
    const { user, policy } = authenticatePostForm(fields, { store, region: config.region });
    // The form, not a header, authenticated this request: its events name the signer.
    setRequestPrincipal(user.id);
    const range = checkPostPolicy(policy, fields, bucketName, Date.now());
    const bucket = requireBucketAccess(store, bucketName, user);
    checkKeyLength(key);
    const opts = putOptionsOf(fields, req, config.maxObjectSize);
    const version = await store.putObject(
      bucket.name,
      key,
      sizeChecked(file.stream, range, config.maxObjectSize),
      opts,
    );
    // The object is stored; whatever follows the file part is ignored, malformed or not.
    await form.done.catch(() => {});
    return respond(fields, bucket, key, version, objectUrl(req, bucket.name, key));
  } catch (e) {
    form.abort();
    throw e;
  }
};
