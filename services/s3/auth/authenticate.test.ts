/**
 * The authenticator over real HTTP requests (a bare node:http server around
 * it, a real store), with the clock pinned to the AWS examples' 2013-05-24:
 * the documented example requests are accepted byte for byte, and each way
 * of getting a request wrong gets S3's error.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../shared/config.js';
import { silentLogger } from '../../../shared/logger.js';
import { createStore } from '../../store/index.js';
import type { ObjectStore } from '../../store/types.js';
import { EMPTY_SHA256, sha256, signedChunkedBody, signRequest } from '../../../test/helpers/sigv4-sign.js';
import { toS3Error } from '../error-response.js';
import { parseRequestTarget } from '../request-target.js';
import { createAuthenticator } from './authenticate.js';

const T0 = Date.parse('2013-05-24T00:00:00Z');
const STAMP = '20130524T000000Z';
const AK = 'AKIAIOSFODNN7EXAMPLE';
const SK = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SCOPE = '20130524/us-east-1/s3/aws4_request';
const HOST = 'examplebucket.s3.amazonaws.com';
const CREDS = { accessKey: AK, secretKey: SK, region: 'us-east-1' };

type Outcome = Record<string, unknown> & { status: number };
interface Req {
  method: string;
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

let clock = T0;
let store: ObjectStore;
let server: http.Server;
let port = 0;
let dataDir = '';

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-auth-'));
  store = createStore({ dataDir, log: silentLogger });
  await store.ready();
  store.ensureRootUser(AK, SK);
  const config = loadConfig({ STRATA_DATA_DIR: dataDir, STRATA_ACCESS_KEY: AK, STRATA_SECRET_KEY: SK });
  const authenticate = createAuthenticator(store, config, { now: () => clock });
  server = http.createServer((req, res) => {
    void (async () => {
      let out: Outcome;
      try {
        const auth = await authenticate(req, parseRequestTarget(req.url ?? '/', req.headers.host, []), {
          anonymousAllowed: false,
        });
        const hash = createHash('sha256');
        let length = 0;
        for await (const chunk of auth.body) {
          hash.update(chunk as Buffer);
          length += (chunk as Buffer).length;
        }
        out = {
          status: 200,
          user: auth.user.accessKey,
          length,
          sha256: hash.digest('hex'),
          contentLength: auth.contentLength,
          trailers: { ...auth.trailers() },
        };
      } catch (e) {
        const err = toS3Error(e);
        out = { status: err.status, Code: err.code, Message: err.message, ...err.details };
        if (!req.readableEnded) req.resume();
      }
      res.statusCode = out.status;
      res.end(JSON.stringify(out));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function send(r: Req, now = T0): Promise<Outcome> {
  clock = now;
  return new Promise((resolve, reject) => {
    const headers = { ...r.headers, ...(r.body ? { 'content-length': String(r.body.length) } : {}) };
    const req = http.request(
      { host: '127.0.0.1', port, method: r.method, path: r.target, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Outcome));
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

const OK = { status: 200 };
const error = (status: number, Code: string, Message?: string, details: Record<string, unknown> = {}) => ({
  status,
  Code,
  ...(Message === undefined ? {} : { Message }),
  ...details,
});
const malformed = (detail: string, details: Record<string, unknown> = {}) =>
  error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; ${detail}`, details);
const queryError = (message: string, details: Record<string, unknown> = {}) =>
  error(400, 'AuthorizationQueryParametersError', message, details);
const denied = (message: string, details: Record<string, unknown> = {}) =>
  error(403, 'AccessDenied', message, details);

/** Keeps only the expected fields of an outcome, so a case names just what it checks. */
function pick(outcome: Outcome, expected: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(expected).map((k) => [k, outcome[k]]));
}

function authz(signedHeaders: string, signature: string): string {
  return `AWS4-HMAC-SHA256 Credential=${AK}/${SCOPE},SignedHeaders=${signedHeaders},Signature=${signature}`;
}

/** The GET Object example of the AWS documentation, as sent. */
function getObjectExample(): Req {
  return {
    method: 'GET',
    target: '/test.txt',
    headers: {
      Host: HOST,
      Range: 'bytes=0-9',
      'x-amz-content-sha256': EMPTY_SHA256,
      'x-amz-date': STAMP,
      Authorization: authz(
        'host;range;x-amz-content-sha256;x-amz-date',
        'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
      ),
    },
  };
}

describe('the requests of the AWS documentation', () => {
  const A = Buffer.alloc(66560, 'a');
  const chunked = (signatures: string[], ...trailers: string[]): Buffer => {
    const [first, second, last] = signatures;
    const lines = [
      `10000;chunk-signature=${first}\r\n${A.toString('latin1', 0, 65536)}`,
      `400;chunk-signature=${second}\r\n${A.toString('latin1', 0, 1024)}`,
      `0;chunk-signature=${last}`,
    ];
    return Buffer.from([...lines, ...trailers, '', ''].join('\r\n'), 'latin1');
  };
  const chunkedHeaders = {
    Host: 's3.amazonaws.com',
    'x-amz-date': STAMP,
    'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    'Content-Encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '66560',
  };
  const cases: Array<[name: string, req: Req, expected: Record<string, unknown>]> = [
    ['GET Object', getObjectExample(), { status: 200, user: AK, length: 0 }],
    [
      'PUT Object',
      {
        method: 'PUT',
        target: '/test%24file.text',
        headers: {
          Host: HOST,
          Date: 'Fri, 24 May 2013 00:00:00 GMT',
          'x-amz-date': STAMP,
          'x-amz-storage-class': 'REDUCED_REDUNDANCY',
          'x-amz-content-sha256': sha256('Welcome to Amazon S3.'),
          Authorization: authz(
            'date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class',
            '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
          ),
        },
        body: Buffer.from('Welcome to Amazon S3.'),
      },
      { status: 200, length: 21, sha256: sha256('Welcome to Amazon S3.') },
    ],
    [
      'GET Bucket Lifecycle',
      {
        method: 'GET',
        target: '/?lifecycle',
        headers: {
          Host: HOST,
          'x-amz-date': STAMP,
          'x-amz-content-sha256': EMPTY_SHA256,
          Authorization: authz(
            'host;x-amz-content-sha256;x-amz-date',
            'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
          ),
        },
      },
      OK,
    ],
    [
      'GET Bucket (List Objects)',
      {
        method: 'GET',
        target: '/?max-keys=2&prefix=J',
        headers: {
          Host: HOST,
          'x-amz-date': STAMP,
          'x-amz-content-sha256': EMPTY_SHA256,
          Authorization: authz(
            'host;x-amz-content-sha256;x-amz-date',
            '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
          ),
        },
      },
      OK,
    ],
    [
      'presigned GET Object',
      {
        method: 'GET',
        target: `/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${AK}%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404`,
        headers: { Host: HOST },
      },
      OK,
    ],
    [
      'PUT Object in signed chunks',
      {
        method: 'PUT',
        target: '/examplebucket/chunkObject.txt',
        headers: {
          ...chunkedHeaders,
          'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
          Authorization: authz(
            'content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class',
            '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
          ),
        },
        body: chunked([
          'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
          '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
          'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
        ]),
      },
      { status: 200, length: 66560, sha256: sha256(A), contentLength: 66560 },
    ],
    [
      'PUT Object in signed chunks with a trailing checksum',
      {
        method: 'PUT',
        target: '/examplebucket/chunkObject.txt',
        headers: {
          ...chunkedHeaders,
          'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
          'x-amz-trailer': 'x-amz-checksum-crc32c',
          Authorization: authz(
            'content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer',
            '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e',
          ),
        },
        body: chunked(
          [
            'b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2',
            '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7',
            '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992',
          ],
          'x-amz-checksum-crc32c:sOO8/Q==',
          'x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435',
        ),
      },
      { status: 200, length: 66560, trailers: { 'x-amz-checksum-crc32c': 'sOO8/Q==' } },
    ],
  ];
  for (const [name, req, expected] of cases) {
    it(name, async () => assert.deepEqual(pick(await send(req), expected), expected));
  }
});

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
