/**
 * The Authorization header: each way of getting it wrong gets the error S3
 * sends, and the request time is checked (after the signature) against the
 * allowed clock skew.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AK,
  CREDS,
  denied,
  error,
  getObjectExample,
  HOST,
  malformed,
  OK,
  pick,
  SCOPE,
  STAMP,
  T0,
  type Req,
  useAuthHarness,
} from '../../../test/helpers/auth-harness.js';
import { EMPTY_SHA256, signRequest } from '../../../test/helpers/sigv4-sign.js';

const send = useAuthHarness();

describe('the Authorization header', () => {
  type Edit = (r: Req) => void;
  const header =
    (name: string, value: string | undefined): Edit =>
    (r) => {
      if (value === undefined) delete r.headers[name];
      else r.headers[name] = value;
    };
  const auth =
    (from: string | RegExp, to: string): Edit =>
    (r) => {
      r.headers['Authorization'] = r.headers['Authorization']!.replace(from, to);
    };
  const each =
    (...edits: Edit[]): Edit =>
    (r) =>
      edits.forEach((e) => e(r));
  const notSigned = (names: string) =>
    denied('There were headers present in the request which were not signed', { HeadersNotSigned: names });
  const components = malformed(
    'the authorization header requires three components: Credential, SignedHeaders, and Signature.',
  );
  const V2 = 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.';
  const cases: Array<[name: string, edit: Edit, expected: Record<string, unknown>]> = [
    ['no change', () => {}, OK],
    [
      'the signature in upper case',
      auth(/Signature=\w+/, 'Signature=F0E8BDB87C964420E857BD35B5D6ED310BD44F0170ABA48DD91039C6036BDB41'),
      OK,
    ],
    ['spaces after the commas', auth(/,/g, ', '), OK],
    ['no Authorization header', header('Authorization', undefined), denied('Access Denied')],
    ['an empty Authorization header', header('Authorization', ''), denied('Access Denied')],
    [
      'another signature',
      auth(/Signature=\w+/, `Signature=${'0'.repeat(64)}`),
      error(403, 'SignatureDoesNotMatch', undefined, {
        AWSAccessKeyId: AK,
        SignatureProvided: '0'.repeat(64),
      }),
    ],
    ['a short signature', auth(/Signature=\w+/, 'Signature=00'), error(403, 'SignatureDoesNotMatch')],
    ['another range', header('Range', 'bytes=0-10'), error(403, 'SignatureDoesNotMatch')],
    ['no Credential', auth(/Credential=[^,]+,/, ''), components],
    ['no SignedHeaders', auth(/SignedHeaders=[^,]+,/, ''), components],
    ['no Signature', auth(/,Signature=\w+/, ''), components],
    [
      'a credential of four parts',
      auth('/us-east-1/', '/'),
      malformed(
        'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
      ),
    ],
    [
      'a scope date of seven digits',
      auth('/20130524/', '/2013052/'),
      malformed(
        'incorrect date format "2013052". This date in the credential must be in the format "yyyyMMdd".',
      ),
    ],
    [
      'another region',
      auth('/us-east-1/', '/eu-west-1/'),
      malformed("the region 'eu-west-1' is wrong; expecting 'us-east-1'", { Region: 'us-east-1' }),
    ],
    [
      'another service',
      auth('/s3/', '/ec2/'),
      malformed('incorrect service "ec2". This endpoint belongs to "s3".'),
    ],
    [
      'another terminator',
      auth('aws4_request', 'aws4_reques'),
      malformed('incorrect terminal "aws4_reques". This endpoint uses "aws4_request".'),
    ],
    [
      'a scope date that is not the day of the request',
      auth('/20130524/', '/20130523/'),
      malformed('Invalid credential date "20130523". This date is not the same as X-Amz-Date: "20130524".'),
    ],
    [
      'an empty access key',
      auth(`${AK}/`, '/'),
      malformed('a non-empty Access Key (AKID) must be provided in the credential.'),
    ],
    [
      'Signature Version 2',
      header('Authorization', `AWS ${AK}:frJIUN8DYpKDtOLCwo//yllqDzg=`),
      error(400, 'InvalidRequest', V2),
    ],
    [
      'Signature Version 2 in the query',
      each(
        header('Authorization', undefined),
        (r) => void (r.target += `?AWSAccessKeyId=${AK}&Signature=x&Expires=1`),
      ),
      error(400, 'InvalidRequest', V2),
    ],
    [
      'the Bearer scheme',
      header('Authorization', 'Bearer token'),
      error(400, 'InvalidArgument', 'Unsupported Authorization Type', {
        ArgumentName: 'Authorization',
        ArgumentValue: 'Bearer token',
      }),
    ],
    [
      'presigned parameters as well',
      (r) => void (r.target += '?X-Amz-Algorithm=AWS4-HMAC-SHA256'),
      error(400, 'InvalidArgument', undefined, { ArgumentName: 'Authorization' }),
    ],
    [
      'no x-amz-content-sha256',
      header('x-amz-content-sha256', undefined),
      error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256'),
    ],
    [
      'an x-amz-content-sha256 that is not a hash',
      header('x-amz-content-sha256', EMPTY_SHA256.slice(1)),
      error(400, 'InvalidArgument', undefined, {
        ArgumentName: 'x-amz-content-sha256',
        ArgumentValue: EMPTY_SHA256.slice(1),
      }),
    ],
    [
      'no date',
      header('x-amz-date', undefined),
      denied('AWS authentication requires a valid Date or x-amz-date header'),
    ],
    [
      'an x-amz-date in another format',
      header('x-amz-date', '2013-05-24T00:00:00Z'),
      denied('AWS authentication requires a valid Date or x-amz-date header'),
    ],
    [
      'an x-amz-* header that is not signed',
      header('x-amz-meta-color', 'red'),
      notSigned('x-amz-meta-color'),
    ],
    ['host not signed', auth('SignedHeaders=host;', 'SignedHeaders='), notSigned('host')],
    [
      'an unknown access key',
      auth(AK, 'AKIAUNKNOWN'),
      error(403, 'InvalidAccessKeyId', undefined, { AWSAccessKeyId: 'AKIAUNKNOWN' }),
    ],
  ];
  for (const [name, edit, expected] of cases) {
    it(`with ${name}`, async () => {
      const req = getObjectExample();
      edit(req);
      assert.deepEqual(pick(await send(req), expected), expected);
    });
  }

  it('SignatureDoesNotMatch shows the canonical request and string to sign this server computed', async () => {
    const req = getObjectExample();
    auth(/Signature=\w+/, `Signature=${'1'.repeat(64)}`)(req);
    const out = await send(req);
    assert.equal(
      out['CanonicalRequest'],
      `GET\n/test.txt\n\nhost:${HOST}\nrange:bytes=0-9\nx-amz-content-sha256:${EMPTY_SHA256}\nx-amz-date:${STAMP}\n\nhost;range;x-amz-content-sha256;x-amz-date\n${EMPTY_SHA256}`,
    );
    assert.equal(
      out['StringToSign'],
      `AWS4-HMAC-SHA256\n${STAMP}\n${SCOPE}\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972`,
    );
    assert.match(String(out['StringToSignBytes']), /^41 57 53 34 2d/);
  });

  const times: Array<[seconds: number, expected: Record<string, unknown>]> = [
    [-900, OK],
    [900, OK],
    [
      -901,
      error(403, 'RequestTimeTooSkewed', undefined, {
        RequestTime: '20130523T234459Z',
        ServerTime: '2013-05-24T00:00:00Z',
        MaxAllowedSkewMilliseconds: 900000,
      }),
    ],
    [901, error(403, 'RequestTimeTooSkewed', undefined, { RequestTime: '20130524T001501Z' })],
  ];
  for (const [seconds, expected] of times) {
    it(`a request signed ${seconds} s from the server's time: ${String(expected['Code'] ?? 'OK')}`, async () => {
      const signed = signRequest(CREDS, {
        method: 'GET',
        path: '/',
        headers: { host: HOST },
        date: new Date(T0 + seconds * 1000),
        payloadHash: EMPTY_SHA256,
      });
      assert.deepEqual(
        pick(await send({ method: 'GET', target: signed.target, headers: signed.headers }), expected),
        expected,
      );
    });
  }

  it('a skewed request with a bad signature is SignatureDoesNotMatch (the signature is checked first)', async () => {
    const signed = signRequest(CREDS, {
      method: 'GET',
      path: '/',
      headers: { host: HOST },
      date: new Date(T0 + 3600_000),
      payloadHash: EMPTY_SHA256,
    });
    signed.headers['authorization'] = signed.headers['authorization']!.replace(/\w+$/, '0'.repeat(64));
    assert.equal(
      (await send({ method: 'GET', target: signed.target, headers: signed.headers })).Code,
      'SignatureDoesNotMatch',
    );
  });

  it('the Date header stands in for a missing x-amz-date', async () => {
    const date = new Date(T0).toUTCString();
    const signed = signRequest(CREDS, {
      method: 'GET',
      path: '/',
      headers: { host: HOST, date },
      date: new Date(T0),
      payloadHash: EMPTY_SHA256,
      withoutAmzDate: true,
    });
    assert.equal(signed.headers['x-amz-date'], undefined);
    assert.deepEqual(
      pick(await send({ method: 'GET', target: signed.target, headers: signed.headers }), OK),
      OK,
    );
    const skewed = await send(
      { method: 'GET', target: signed.target, headers: signed.headers },
      T0 + 3600_000,
    );
    assert.deepEqual(pick(skewed, { Code: 1, RequestTime: 1 }), {
      Code: 'RequestTimeTooSkewed',
      RequestTime: date,
    });
  });
});
