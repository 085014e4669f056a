/**
 * The payload of a signed request: a signed SHA-256 is verified as the body
 * streams, UNSIGNED-PAYLOAD is passed through, aws-chunked bodies are decoded
 * with their chunk signatures and trailers checked.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CREDS,
  error,
  HOST,
  pick,
  T0,
  type Req,
  useAuthHarness,
} from '../../../test/helpers/auth-harness.js';
import { EMPTY_SHA256, sha256, signedChunkedBody, signRequest } from '../../../test/helpers/sigv4-sign.js';

const send = useAuthHarness();

describe('the payload', () => {
  const put = (payloadHash: string, body: Buffer, extra: Record<string, string> = {}): Req => {
    const signed = signRequest(CREDS, {
      method: 'PUT',
      path: '/bucket/key',
      headers: { host: HOST, ...extra },
      date: new Date(T0),
      payloadHash,
    });
    return { method: 'PUT', target: signed.target, headers: signed.headers, body };
  };
  const data = Buffer.from('123456789');
  const other = Buffer.from('987654321');

  const cases: Array<[name: string, req: () => Req, expected: Record<string, unknown>]> = [
    [
      'the SHA-256 of the body',
      () => put(sha256(data), data),
      { status: 200, length: 9, sha256: sha256(data), contentLength: 9 },
    ],
    ['the SHA-256 in upper case', () => put(sha256(data).toUpperCase(), data), { status: 200, length: 9 }],
    [
      'the SHA-256 of other content',
      () => put(sha256(data), other),
      error(400, 'XAmzContentSHA256Mismatch', undefined, {
        ClientComputedContentSHA256: sha256(data),
        S3ComputedContentSHA256: sha256(other),
      }),
    ],
    [
      'the SHA-256 of content that is not sent',
      () => {
        const r = put(sha256(data), data);
        delete r.body;
        return r;
      },
      error(400, 'XAmzContentSHA256Mismatch', undefined, { S3ComputedContentSHA256: EMPTY_SHA256 }),
    ],
    [
      'UNSIGNED-PAYLOAD',
      () => put('UNSIGNED-PAYLOAD', other),
      { status: 200, length: 9, sha256: sha256(other) },
    ],
    [
      'signed chunks',
      () => chunkedPut(data),
      { status: 200, length: 9, sha256: sha256(data), contentLength: 9 },
    ],
    [
      'signed chunks with a trailer',
      () => chunkedPut(data, [['x-amz-checksum-crc32', 'y/Q5Jg==']]),
      { status: 200, trailers: { 'x-amz-checksum-crc32': 'y/Q5Jg==' } },
    ],
    ['a tampered chunk signature', () => tamper(chunkedPut(data)), error(403, 'SignatureDoesNotMatch')],
    [
      'signed chunks without x-amz-decoded-content-length',
      () => chunkedPut(data, [], false),
      error(411, 'MissingContentLength'),
    ],
    [
      'a decoded length that is not the payload length',
      () => chunkedPut(data, [], true, '10'),
      error(400, 'IncompleteBody', 'The request body terminated unexpectedly'),
    ],
    [
      'unsigned chunks with a trailer',
      () => unsignedTrailerPut(data),
      { status: 200, length: 9, sha256: sha256(data), trailers: { 'x-amz-checksum-crc32': 'y/Q5Jg==' } },
    ],
  ];
  for (const [name, req, expected] of cases) {
    it(`with ${name}`, async () => assert.deepEqual(pick(await send(req()), expected), expected));
  }

  function chunkedPut(
    payload: Buffer,
    trailers: Array<[string, string]> = [],
    decoded = true,
    decodedValue = String(payload.length),
  ): Req {
    const mode = trailers.length
      ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'
      : 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
    const extra: Record<string, string> = { 'content-encoding': 'aws-chunked' };
    if (decoded) extra['x-amz-decoded-content-length'] = decodedValue;
    if (trailers.length) extra['x-amz-trailer'] = trailers.map(([n]) => n).join(',');
    const signed = signRequest(CREDS, {
      method: 'PUT',
      path: '/bucket/key',
      headers: { host: HOST, ...extra },
      date: new Date(T0),
      payloadHash: mode,
    });
    return {
      method: 'PUT',
      target: signed.target,
      headers: signed.headers,
      body: signedChunkedBody(signed, payload, 4, trailers),
    };
  }

  function tamper(r: Req): Req {
    const text = r.body!.toString('latin1');
    const at = text.indexOf('chunk-signature=') + 'chunk-signature='.length;
    return {
      ...r,
      body: Buffer.from(text.slice(0, at) + (text[at] === '0' ? '1' : '0') + text.slice(at + 1), 'latin1'),
    };
  }

  function unsignedTrailerPut(payload: Buffer): Req {
    const headers = {
      host: HOST,
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(payload.length),
      'x-amz-trailer': 'x-amz-checksum-crc32',
    };
    const signed = signRequest(CREDS, {
      method: 'PUT',
      path: '/bucket/key',
      headers,
      date: new Date(T0),
      payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    });
    const body = Buffer.from(
      `${payload.length.toString(16)}\r\n${payload.toString('latin1')}\r\n0\r\nx-amz-checksum-crc32:y/Q5Jg==\r\n\r\n`,
      'latin1',
    );
    return { method: 'PUT', target: signed.target, headers: signed.headers, body };
  }
});
