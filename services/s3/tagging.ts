/**
 * Tag sets, as PutObjectTagging / PutBucketTagging bodies and the
 * x-amz-tagging header carry them, validated with S3's limits:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_Tag.html
 *
 * Lengths count Unicode characters; allowed characters are letters, digits,
 * spaces and + - = . _ : / @ (the tagging restrictions page). Too many tags
 * is BadRequest, everything else about a tag is InvalidTag, as S3 answers.
 */
import { errors } from '../../shared/errors.js';
import type { Tag } from '../store/types.js';
import { childList, childText, parseXml, renderXml, type XmlNode } from './xml.js';

/** S3's per-resource tag limits. */
export const OBJECT_TAG_LIMIT = 10;
export const BUCKET_TAG_LIMIT = 50;

const MAX_KEY_CHARS = 128;
const MAX_VALUE_CHARS = 256;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export interface TagLimits {
  /** OBJECT_TAG_LIMIT or BUCKET_TAG_LIMIT. */
  readonly maxTags: number;
}

function tooMany(maxTags: number): Error {
  return errors.make(
    'BadRequest',
    maxTags === BUCKET_TAG_LIMIT
      ? `Bucket tag count cannot be greater than ${maxTags}`
      : `Object tags cannot be greater than ${maxTags}`,
  );
}

/** Checks count, lengths, characters and unique keys; returns the tags unchanged. */
export function validateTags(tags: readonly Tag[], limits: TagLimits): Tag[] {
  if (tags.length > limits.maxTags) throw tooMany(limits.maxTags);
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    const keyChars = [...key].length;
    if (keyChars === 0 || !TAG_CHARS.test(key)) {
      throw errors.make('InvalidTag', 'The TagKey you have provided is invalid', { TagKey: key });
    }
    if (keyChars > MAX_KEY_CHARS) {
      throw errors.make('InvalidTag', `The TagKey you have provided is too long, max ${MAX_KEY_CHARS}`, {
        TagKey: key,
      });
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw errors.make('InvalidTag', 'Your TagKey cannot be prefixed with aws:', { TagKey: key });
    }
    if (!TAG_CHARS.test(value)) {
      throw errors.make('InvalidTag', 'The TagValue you have provided is invalid', {
        TagKey: key,
        TagValue: value,
      });
    }
    if ([...value].length > MAX_VALUE_CHARS) {
      throw errors.make('InvalidTag', `The TagValue you have provided is too long, max ${MAX_VALUE_CHARS}`, {
        TagKey: key,
      });
    }
    if (seen.has(key))
      throw errors.make('InvalidTag', 'Cannot provide multiple Tags with the same key', { TagKey: key });
    seen.add(key);
  }
  return [...tags];
}

/** Parses `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>`. */
export function parseTaggingXml(text: string, limits: TagLimits): Tag[] {
  const root = parseXml(text, 'Tagging');
  const tagSet = root['TagSet'];
  if (tagSet === undefined || tagSet === null || Array.isArray(tagSet)) throw errors.malformedXML();
  const tags: Tag[] = [];
  if (typeof tagSet === 'object') {
    for (const item of childList(tagSet as XmlNode, 'Tag')) {
      if (typeof item !== 'object' || item === null || Array.isArray(item) || item instanceof Date) {
        throw errors.malformedXML();
      }
      const key = childText(item, 'Key');
      const value = childText(item, 'Value');
      if (key === undefined || value === undefined) throw errors.malformedXML();
      tags.push({ key, value });
    }
  } else if (String(tagSet).trim() !== '') {
    throw errors.malformedXML();
  }
  return validateTags(tags, limits);
}

const HEADER_MESSAGE =
  "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.";

function decodeQueryPart(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw errors.invalidArgument(HEADER_MESSAGE, 'x-amz-tagging', s);
  }
}

/** Parses the x-amz-tagging header ("a=1&b=2", URL query encoding). */
export function parseTaggingHeader(header: string, limits: TagLimits): Tag[] {
  const tags: Tag[] = [];
  const seen = new Set<string>();
  for (const pair of header.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeQueryPart(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryPart(pair.slice(eq + 1));
    if (seen.has(key)) throw errors.invalidArgument(HEADER_MESSAGE, 'x-amz-tagging', header);
    seen.add(key);
    tags.push({ key, value });
  }
  return validateTags(tags, limits);
}

/** The GetObjectTagging / GetBucketTagging body. */
export function renderTagging(tags: readonly Tag[]): string {
  return renderXml('Tagging', { TagSet: { Tag: tags.map((t) => ({ Key: t.key, Value: t.value })) } });
}

/** The tag count header GetObject / HeadObject send (x-amz-tagging-count). */
export function tagCount(tags: readonly Tag[]): string | undefined {
  return tags.length === 0 ? undefined : String(tags.length);
}
