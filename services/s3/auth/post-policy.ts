/**
 * The POST policy of a browser-form upload: a base64 JSON document with an
 * expiration and a list of conditions on the form fields.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 *
 *   { "expiration": "2015-12-30T12:00:00.000Z",
 *     "conditions": [ {"bucket": "b"}, ["starts-with", "$key", "user/"],
 *                     ["eq", "$acl", "private"], ["content-length-range", 1, 10485760] ] }
 *
 * A document S3 cannot read is InvalidPolicyDocument with S3's "Invalid
 * Policy: …" messages. Condition names are matched without regard to case
 * (S3 accepts "$content-type" for a Content-Type field); values are exact.
 */
import { errors, type S3Error } from '../../../shared/errors.js';

export type PolicyCondition =
  | {
      readonly op: 'eq' | 'starts-with';
      /** Lower-case field name without "$"; undefined when the policy forgot the "$" (never satisfied). */
      readonly field: string | undefined;
      readonly value: string;
      /** The condition as S3 prints it in "Policy Condition failed: [...]". */
      readonly text: string;
    }
  | {
      readonly op: 'content-length-range';
      /** Undefined when a bound is not a whole number (the condition then fails). */
      readonly min: number | undefined;
      readonly max: number | undefined;
      readonly text: string;
    };

export interface PostPolicy {
  readonly expiration: Date;
  readonly conditions: readonly PolicyCondition[];
}

function invalid(message: string): S3Error {
  return errors.make('InvalidPolicyDocument', `Invalid Policy: ${message}`);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const EXPIRATION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/** ["eq", "$key", "a"] printed the way S3 prints a failed condition. */
function conditionText(parts: readonly unknown[]): string {
  return `[${parts.map((p) => JSON.stringify(p)).join(', ')}]`;
}

function fieldOf(name: string): string | undefined {
  return name.startsWith('$') ? name.slice(1).toLowerCase() : undefined;
}

/** A bound of content-length-range: a whole number, or a string of digits. */
function bound(v: unknown): number | undefined {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw invalid('Invalid JSON.');
    if (v < 0) throw invalid('Invalid content-length-range: the bounds must not be negative.');
    return v;
  }
  if (typeof v === 'string' && /^\d{1,16}$/.test(v)) return Number(v);
  if (typeof v === 'string') return undefined;
  throw invalid('Invalid JSON.');
}

function parseCondition(c: unknown): PolicyCondition {
  if (Array.isArray(c)) {
    if (c.length === 0 || typeof c[0] !== 'string')
      throw invalid('Invalid Condition: missing operation identifier.');
    const op = c[0].toLowerCase();
    if (op === 'content-length-range') {
      if (c.length !== 3) throw invalid('Invalid content-length-range: wrong number of arguments.');
      const [min, max] = [bound(c[1]), bound(c[2])];
      return { op: 'content-length-range', min, max, text: conditionText(c) };
    }
    if (op !== 'eq' && op !== 'starts-with') throw invalid(`Invalid Condition: unknown operation '${c[0]}'.`);
    if (c.length !== 3) throw invalid(`Invalid ${c[0]}: wrong number of arguments.`);
    if (typeof c[1] !== 'string' || typeof c[2] !== 'string') throw invalid('Invalid JSON.');
    return { op, field: fieldOf(c[1]), value: c[2], text: conditionText(c) };
  }
  if (typeof c === 'object' && c !== null) {
    const entries = Object.entries(c);
    if (entries.length !== 1) {
      throw invalid('Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.');
    }
    const [name, value] = entries[0]!;
    if (value === null) throw invalid('Invalid JSON.');
    if (typeof value !== 'string') throw invalid('Invalid Simple-Condition: value must be a string.');
    // S3 reports a failed simple condition in its eq form.
    return { op: 'eq', field: name.toLowerCase(), value, text: conditionText(['eq', `$${name}`, value]) };
  }
  throw invalid('Invalid condition test: must be a List or Object.');
}

/** Decodes the policy field (base64 of UTF-8 JSON) into its expiration and conditions. */
export function decodePostPolicy(policyBase64: string): PostPolicy {
  if (!BASE64.test(policyBase64)) throw invalid('invalid Base64 encoding.');
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8'));
  } catch {
    throw invalid('Invalid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid('Invalid JSON.');
  const record = doc as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'expiration' && key !== 'conditions') throw invalid(`Unexpected: '${key.toLowerCase()}'`);
  }
  const expiration = record['expiration'];
  if (expiration === undefined) throw invalid('Policy missing expiration.');
  if (
    typeof expiration !== 'string' ||
    !EXPIRATION.test(expiration) ||
    Number.isNaN(Date.parse(expiration))
  ) {
    throw invalid(`Invalid 'expiration' value: '${String(expiration)}'`);
  }
  const conditions = record['conditions'];
  if (conditions === undefined) throw invalid('Policy missing conditions.');
  if (!Array.isArray(conditions)) throw invalid("Invalid 'conditions' value: must be a List.");
  return { expiration: new Date(expiration), conditions: conditions.map(parseCondition) };
}
