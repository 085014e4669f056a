/**
 * The CORSConfiguration document of PutBucketCors / GetBucketCors, validated
 * as S3 does:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSRule.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html
 *
 * A missing rule, origin or method is MalformedXML (schema violations); an
 * unsupported method or a second wildcard is InvalidRequest with S3's wording.
 */
import { errors } from '../../shared/errors.js';
import type { CorsRule } from '../store/types.js';
import { childList, childText, parseXml, renderXml, type XmlNode, type XmlValue } from './xml.js';

export const CORS_METHODS: readonly string[] = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];
export const MAX_CORS_RULES = 100;
const MAX_ID_CHARS = 255;
const MAX_INT32 = 2_147_483_647;

function isNode(v: XmlValue): v is XmlNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function texts(rule: XmlNode, name: string): string[] {
  return childList(rule, name).map((v) => {
    if (typeof v === 'object' && v !== null) throw errors.malformedXML();
    return String(v ?? '');
  });
}

function checkOneWildcard(element: string, values: readonly string[]): void {
  for (const v of values) {
    if (v.indexOf('*') !== v.lastIndexOf('*')) {
      throw errors.invalidRequest(`${element} "${v}" can not have more than one wildcard.`);
    }
  }
}

function parseRule(node: XmlValue): CorsRule {
  if (!isNode(node)) throw errors.malformedXML();
  const allowedOrigins = texts(node, 'AllowedOrigin');
  const allowedMethods = texts(node, 'AllowedMethod');
  if (allowedOrigins.length === 0 || allowedMethods.length === 0) throw errors.malformedXML();
  for (const m of allowedMethods) {
    if (!CORS_METHODS.includes(m)) {
      throw errors.invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    }
  }
  const allowedHeaders = texts(node, 'AllowedHeader');
  checkOneWildcard('AllowedOrigin', allowedOrigins);
  checkOneWildcard('AllowedHeader', allowedHeaders);
  if (childList(node, 'ID').length > 1 || childList(node, 'MaxAgeSeconds').length > 1)
    throw errors.malformedXML();
  const id = childText(node, 'ID');
  if (id !== undefined && [...id].length > MAX_ID_CHARS) {
    throw errors.invalidRequest(`The ID value can be up to ${MAX_ID_CHARS} characters long.`);
  }
  const maxAge = childText(node, 'MaxAgeSeconds');
  if (maxAge !== undefined && (!/^\s*\d+\s*$/.test(maxAge) || Number(maxAge) > MAX_INT32))
    throw errors.malformedXML();
  return {
    id,
    allowedMethods,
    allowedOrigins,
    allowedHeaders,
    exposeHeaders: texts(node, 'ExposeHeader'),
    maxAgeSeconds: maxAge === undefined ? undefined : Number(maxAge),
  };
}

/** Parses and validates a PutBucketCors body into the rules, in order. */
export function parseCorsConfiguration(text: string): CorsRule[] {
  const rules = childList(parseXml(text, 'CORSConfiguration'), 'CORSRule');
  if (rules.length === 0) throw errors.malformedXML();
  if (rules.length > MAX_CORS_RULES) {
    throw errors.invalidRequest(
      `The number of CORS rules should not exceed allowed limit of ${MAX_CORS_RULES} rules.`,
    );
  }
  return rules.map(parseRule);
}

/** The GetBucketCors body: each rule with only the members it was given. */
export function renderCorsConfiguration(rules: readonly CorsRule[]): string {
  return renderXml('CORSConfiguration', {
    CORSRule: rules.map((r) => ({
      ID: r.id,
      AllowedHeader: [...r.allowedHeaders],
      AllowedMethod: [...r.allowedMethods],
      AllowedOrigin: [...r.allowedOrigins],
      ExposeHeader: [...r.exposeHeaders],
      MaxAgeSeconds: r.maxAgeSeconds,
    })),
  });
}
