/**
 * Presigned URLs: the required parameters, their forms, and the window
 * X-Amz-Date .. X-Amz-Date + X-Amz-Expires in which a URL is valid.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AK,
  CREDS,
  denied,
  error,
  HOST,
  OK,
  pick,
  queryError,
  SCOPE,
  T0,
  useAuthHarness,
} from '../../../test/helpers/auth-harness.js';
import { signRequest } from '../../../test/helpers/sigv4-sign.js';

const send = useAuthHarness();

describe('a presigned URL', () => {
  const presign = (expires: number, date = new Date(T0), query: Record<string, string> = {}) =>
    signRequest(CREDS, {
      method: 'GET',
      path: '/bucket/key',
      query,
      headers: { host: HOST },
      date,
      presignExpires: expires,
    });
  const setParam = (target: string, name: string, value: string | undefined): string => {
    const [p, q] = target.split('?') as [string, string];
    const params = q.split('&').filter((kv) => !kv.startsWith(`${name}=`));
    if (value !== undefined) params.push(`${name}=${value}`);
    return `${p}?${params.join('&')}`;
  };
  const required = queryError(
    'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
  );
  const cases: Array<[name: string, edit: (target: string) => string, expected: Record<string, unknown>]> = [
    ['no change', (t) => t, OK],
    ...['Credential', 'Signature', 'Date', 'SignedHeaders', 'Expires'].map(
      (n): [string, (t: string) => string, Record<string, unknown>] => [
        `no X-Amz-${n}`,
        (t) => setParam(t, `X-Amz-${n}`, undefined),
        required,
      ],
    ),
    [
      'another algorithm',
      (t) => setParam(t, 'X-Amz-Algorithm', 'AWS4-HMAC-SHA1'),
      queryError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"'),
    ],
    [
      'an X-Amz-Date in another format',
      (t) => setParam(t, 'X-Amz-Date', '2013-05-24T00:00:00Z'),
      queryError(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`),
    ],
    [
      'X-Amz-Expires=604801',
      (t) => setParam(t, 'X-Amz-Expires', '604801'),
      queryError(
        'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
      ),
    ],
    [
      'X-Amz-Expires=-1',
      (t) => setParam(t, 'X-Amz-Expires', '-1'),
      queryError('X-Amz-Expires must be non-negative'),
    ],
    [
      'X-Amz-Expires=1h',
      (t) => setParam(t, 'X-Amz-Expires', '1h'),
      queryError('X-Amz-Expires should be a number'),
    ],
    [
      'a credential of another region',
      (t) => setParam(t, 'X-Amz-Credential', `${AK}%2F20130524%2Feu-west-1%2Fs3%2Faws4_request`),
      queryError(
        "Error parsing the X-Amz-Credential parameter; the region 'eu-west-1' is wrong; expecting 'us-east-1'",
        { Region: 'us-east-1' },
      ),
    ],
    [
      'an unknown access key',
      (t) => setParam(t, 'X-Amz-Credential', `AKIAUNKNOWN%2F${SCOPE.replace(/\//g, '%2F')}`),
      error(403, 'InvalidAccessKeyId', undefined, { AWSAccessKeyId: 'AKIAUNKNOWN' }),
    ],
    ['one more parameter', (t) => `${t}&versionId=null`, error(403, 'SignatureDoesNotMatch')],
    ['another path', (t) => t.replace('/key?', '/other?'), error(403, 'SignatureDoesNotMatch')],
    [
      'parameter names in lower case',
      (t) => t.replace(/X-Amz-\w+/g, (n) => n.toLowerCase()),
      error(403, 'SignatureDoesNotMatch'),
    ],
  ];
  for (const [name, edit, expected] of cases) {
    it(`with ${name}`, async () => {
      const signed = presign(60);
      assert.deepEqual(
        pick(await send({ method: 'GET', target: edit(signed.target), headers: { Host: HOST } }), expected),
        expected,
      );
    });
  }

  it('an x-amz-* header that is not signed is refused', async () => {
    const signed = presign(60);
    const out = await send({
      method: 'GET',
      target: signed.target,
      headers: { Host: HOST, 'x-amz-meta-size': '1' },
    });
    assert.deepEqual(pick(out, { Code: 1, HeadersNotSigned: 1 }), {
      Code: 'AccessDenied',
      HeadersNotSigned: 'x-amz-meta-size',
    });
  });

  const times: Array<
    [name: string, signedAt: number, expires: number, now: number, expected: Record<string, unknown>]
  > = [
    ['at the end of the last second', 0, 60, 60_000, OK],
    [
      'one millisecond after the end',
      0,
      60,
      60_001,
      denied('Request has expired', {
        'X-Amz-Expires': 60,
        Expires: '2013-05-24T00:01:00Z',
        ServerTime: '2013-05-24T00:01:00Z',
      }),
    ],
    ['at the end of 7 days', 0, 604800, 604_800_000, OK],
    ['never with X-Amz-Expires=0', 0, 0, 0, denied('Request has expired')],
    ['15 minutes before X-Amz-Date', 900, 60, 0, OK],
    [
      'more than 15 minutes before X-Amz-Date',
      901,
      60,
      0,
      denied('Request is not yet valid', {
        'X-Amz-Date': '20130524T001501Z',
        ServerTime: '2013-05-24T00:00:00Z',
      }),
    ],
  ];
  for (const [name, signedAt, expires, now, expected] of times) {
    it(`is valid from X-Amz-Date on: ${name}`, async () => {
      const signed = presign(expires, new Date(T0 + signedAt * 1000));
      assert.deepEqual(
        pick(
          await send({ method: 'GET', target: signed.target, headers: { Host: HOST } }, T0 + now),
          expected,
        ),
        expected,
      );
    });
  }

  it('an expired URL with a bad signature is SignatureDoesNotMatch', async () => {
    const signed = presign(60);
    const out = await send(
      {
        method: 'GET',
        target: setParam(signed.target, 'X-Amz-Signature', '0'.repeat(64)),
        headers: { Host: HOST },
      },
      T0 + 3600_000,
    );
    assert.equal(out.Code, 'SignatureDoesNotMatch');
  });
});
