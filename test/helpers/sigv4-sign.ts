/**
 * A small, independent Signature V4 signer for tests that need requests the
 * SDK will not build: a chosen clock, hand-made headers, presigned URLs with
 * odd parameters, aws-chunked bodies with chunk signatures. Written straight
 * from the AWS pages with node:crypto, so it also cross-checks the server's
 * implementation rather than reusing it.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
import { createHash, createHmac } from 'node:crypto';

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** RFC 3986: encodeURIComponent leaves !'()* alone, SigV4 does not. */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export interface SigningCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly region: string;
}

export interface RequestToSign {
  readonly method: string;
  /** The path exactly as it will be sent (already URI-encoded). */
  readonly path: string;
  /** Query parameters, not encoded. */
  readonly query?: Readonly<Record<string, string>>;
  /** Headers to sign (host must be among them). */
  readonly headers: Readonly<Record<string, string>>;
  readonly date: Date;
  /** x-amz-content-sha256 (header signing) or the presigned payload hash; default UNSIGNED-PAYLOAD. */
  readonly payloadHash?: string;
  /** Sign as a presigned URL valid for this many seconds. */
  readonly presignExpires?: number;
  /** Leave x-amz-date out (the request then carries its time in a Date header of its own). */
  readonly withoutAmzDate?: boolean;
}

export interface SignedRequestParts {
  /** Path and query string, ready for the request line. */
  readonly target: string;
  /** The headers to send (with Authorization, x-amz-date and x-amz-content-sha256 for header signing). */
  readonly headers: Record<string, string>;
  readonly signature: string;
  readonly signingKey: Buffer;
  readonly amzDate: string;
  readonly scope: string;
}

function amzDateOf(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function signingKeyOf(secret: string, day: string, region: string): Buffer {
  return hmac(hmac(hmac(hmac('AWS4' + secret, day), region), 's3'), 'aws4_request');
}

export function signRequest(creds: SigningCredentials, r: RequestToSign): SignedRequestParts {
  const amzDate = amzDateOf(r.date);
  const scope = `${amzDate.slice(0, 8)}/${creds.region}/s3/aws4_request`;
  const payloadHash = r.payloadHash ?? 'UNSIGNED-PAYLOAD';
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  const query: Record<string, string> = { ...r.query };
  if (r.presignExpires === undefined) {
    if (!r.withoutAmzDate) headers['x-amz-date'] = amzDate;
    headers['x-amz-content-sha256'] = payloadHash;
  }
  const signedNames = Object.keys(headers).sort();
  if (r.presignExpires !== undefined) {
    Object.assign(query, {
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `${creds.accessKey}/${scope}`,
      'X-Amz-Date': amzDate,
      'X-Amz-Expires': String(r.presignExpires),
      'X-Amz-SignedHeaders': signedNames.join(';'),
    });
  }
  const encodedQuery = Object.entries(query)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    r.method,
    r.path,
    encodedQuery,
    signedNames.map((n) => `${n}:${headers[n]!.trim().replace(/\s+/g, ' ')}\n`).join(''),
    signedNames.join(';'),
    payloadHash,
  ].join('\n');
  const sts = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(canonical)}`;
  const signingKey = signingKeyOf(creds.secretKey, amzDate.slice(0, 8), creds.region);
  const signature = createHmac('sha256', signingKey).update(sts).digest('hex');
  if (r.presignExpires !== undefined) {
    const q = `${encodedQuery}&X-Amz-Signature=${signature}`;
    return { target: `${r.path}?${q}`, headers, signature, signingKey, amzDate, scope };
  }
  headers['authorization'] =
    `AWS4-HMAC-SHA256 Credential=${creds.accessKey}/${scope}, SignedHeaders=${signedNames.join(';')}, Signature=${signature}`;
  return {
    target: encodedQuery === '' ? r.path : `${r.path}?${encodedQuery}`,
    headers,
    signature,
    signingKey,
    amzDate,
    scope,
  };
}

/**
 * An aws-chunked body with chunk signatures (STREAMING-AWS4-HMAC-SHA256-PAYLOAD),
 * chained from the seed signature of `signed`; trailers make it the -TRAILER variant.
 */
export function signedChunkedBody(
  signed: Pick<SignedRequestParts, 'signature' | 'signingKey' | 'amzDate' | 'scope'>,
  payload: Buffer,
  chunkSize: number,
  trailers: ReadonlyArray<readonly [string, string]> = [],
): Buffer {
  const parts: Buffer[] = [];
  let previous = signed.signature;
  const sign = (sts: string): string => createHmac('sha256', signed.signingKey).update(sts).digest('hex');
  for (let at = 0; ; at += chunkSize) {
    const data = payload.subarray(at, Math.min(at + chunkSize, payload.length));
    previous = sign(
      `AWS4-HMAC-SHA256-PAYLOAD\n${signed.amzDate}\n${signed.scope}\n${previous}\n${EMPTY_SHA256}\n${sha256(data)}`,
    );
    parts.push(Buffer.from(`${data.length.toString(16)};chunk-signature=${previous}\r\n`), data);
    if (data.length === 0) break;
    parts.push(Buffer.from('\r\n'));
  }
  if (trailers.length === 0) {
    parts.push(Buffer.from('\r\n'));
    return Buffer.concat(parts);
  }
  const canonical = trailers.map(([n, v]) => `${n}:${v}\n`).join('');
  const trailerSignature = sign(
    `AWS4-HMAC-SHA256-TRAILER\n${signed.amzDate}\n${signed.scope}\n${previous}\n${sha256(canonical)}`,
  );
  for (const [n, v] of trailers) parts.push(Buffer.from(`${n}:${v}\r\n`));
  parts.push(Buffer.from(`x-amz-trailer-signature:${trailerSignature}\r\n\r\n`));
  return Buffer.concat(parts);
}

/** The length of an aws-chunked body framing a payload of `size` bytes in signed chunks of `chunkSize`. */
export function signedChunkedLength(size: number, chunkSize: number): number {
  const frame = (n: number): number =>
    n.toString(16).length + ';chunk-signature='.length + 64 + 2 + n + (n > 0 ? 2 : 0);
  let total = 0;
  for (let left = size; left > 0; left -= chunkSize) total += frame(Math.min(left, chunkSize));
  return total + frame(0) + 2;
}
