/**
 * Builds browser-form uploads for the POST Object tests: a signed POST policy
 * made the way a web app's backend makes one (straight from the AWS pages,
 * since @aws-sdk/s3-presigned-post is not installed), posted with fetch() and
 * FormData the way a browser posts it.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 */
import { createHmac } from 'node:crypto';
import { signingKeyOf } from './sigv4-sign.js';
import type { TestStrata } from './strata.js';

export interface PostOptions {
  readonly bucket: string;
  /** Conditions besides bucket and the signing fields. */
  readonly conditions?: unknown[];
  /** Form fields before the file (besides the signing fields). */
  readonly fields?: Array<[string, string]>;
  readonly expiresInSeconds?: number;
  readonly accessKey?: string;
  readonly secretKey?: string;
  /** Changes the fields after signing (to forge a request). */
  readonly tamper?: (fields: Array<[string, string]>) => void;
}

export interface PostFile {
  readonly data: Buffer;
  readonly name?: string;
  readonly type?: string;
}

function amzDate(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The form fields of a signed POST policy, in the order a page would put them. */
export function signedFields(strata: TestStrata, o: PostOptions): Array<[string, string]> {
  const now = new Date();
  const accessKey = o.accessKey ?? strata.accessKey;
  const credential = `${accessKey}/${amzDate(now).slice(0, 8)}/us-east-1/s3/aws4_request`;
  const policy = Buffer.from(
    JSON.stringify({
      expiration: new Date(now.getTime() + (o.expiresInSeconds ?? 300) * 1000).toISOString(),
      conditions: [
        { bucket: o.bucket },
        ...(o.conditions ?? []),
        { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
        { 'x-amz-credential': credential },
        { 'x-amz-date': amzDate(now) },
      ],
    }),
  ).toString('base64');
  const key = signingKeyOf(o.secretKey ?? strata.secretKey, amzDate(now).slice(0, 8), 'us-east-1');
  const fields: Array<[string, string]> = [
    ...(o.fields ?? []),
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', credential],
    ['X-Amz-Date', amzDate(now)],
    ['Policy', policy],
    ['X-Amz-Signature', createHmac('sha256', key).update(policy).digest('hex')],
  ];
  o.tamper?.(fields);
  return fields;
}

/** POSTs the signed form with the file last, as a browser does; redirects are not followed. */
export function postForm(
  strata: TestStrata,
  o: PostOptions,
  file: PostFile,
  bucket = o.bucket,
): Promise<Response> {
  const form = new FormData();
  for (const [n, v] of signedFields(strata, o)) form.append(n, v);
  const blob = new Blob([new Uint8Array(file.data)], { type: file.type ?? 'application/octet-stream' });
  form.append('file', blob, file.name ?? 'upload.bin');
  return fetch(`${strata.endpoint}/${bucket}`, { method: 'POST', body: form, redirect: 'manual' });
}

const ENTITIES: Record<string, string> = {
  '&quot;': '"',
  '&apos;': "'",
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
};

/** Status, Code and Message (XML entities decoded) of an error response. */
export async function errorOf(res: Response): Promise<{ status: number; code?: string; message?: string }> {
  const xml = await res.text();
  const message = /<Message>([^<]*)</
    .exec(xml)?.[1]
    ?.replace(/&(?:quot|apos|lt|gt|amp);/g, (e) => ENTITIES[e]!);
  return { status: res.status, code: /<Code>([^<]*)</.exec(xml)?.[1], message };
}
