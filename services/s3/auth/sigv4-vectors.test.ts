/**
 * Signature V4 against AWS's published examples: the generic "Signature
 * Version 4 test suite" (AKIDEXAMPLE, service "service", 20150830T123600Z)
 * and the S3 examples of the API reference (AKIAIOSFODNN7EXAMPLE,
 * examplebucket, 20130524): single-chunk requests, the presigned URL,
 * chunked uploads with and without trailing headers, and the POST policy.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalHeaders,
  canonicalRequest,
  credentialScope,
  EMPTY_SHA256,
  sha256Hex,
  stringToSign,
  type DistinctHeaders,
} from './canonical-request.js';
import { ChunkSigner } from './chunk-signer.js';
import { deriveSigningKey, signString } from './signing-key.js';
import { canonicalQuery, canonicalUri } from './uri-encoding.js';

interface Signing {
  readonly secret: string;
  readonly date: string;
  readonly amzDate: string;
  readonly region: string;
  readonly service: string;
}

const SUITE: Signing = {
  secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  date: '20150830',
  amzDate: '20150830T123600Z',
  region: 'us-east-1',
  service: 'service',
};
const S3_DOCS: Signing = {
  secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  date: '20130524',
  amzDate: '20130524T000000Z',
  region: 'us-east-1',
  service: 's3',
};

function distinct(headers: ReadonlyArray<readonly [string, string]>): DistinctHeaders {
  const out: Record<string, string[]> = {};
  for (const [name, value] of headers) (out[name.toLowerCase()] ??= []).push(value);
  return out;
}

/** Signs a request given as its request target (path and query as on the wire) and headers. */
function sign(
  s: Signing,
  method: string,
  target: string,
  headers: ReadonlyArray<readonly [string, string]>,
  payloadHash: string,
  skipQuery?: (name: string) => boolean,
): { canonical: string; sts: string; signature: string } {
  const q = target.indexOf('?');
  const signed = [...new Set(headers.map(([n]) => n.toLowerCase()))].sort();
  const canonical = canonicalRequest({
    method,
    uri: canonicalUri(q < 0 ? target : target.slice(0, q)),
    query: canonicalQuery(q < 0 ? '' : target.slice(q + 1), skipQuery),
    headers: canonicalHeaders(distinct(headers), signed),
    signedHeaders: signed.join(';'),
    payloadHash,
  });
  const sts = stringToSign(s.amzDate, credentialScope(s.date, s.region, s.service), canonical);
  return {
    canonical,
    sts,
    signature: signString(deriveSigningKey(s.secret, s.date, s.region, s.service), sts),
  };
}

describe('the Signature Version 4 test suite', () => {
  const host = ['Host', 'example.amazonaws.com'] as const;
  const date = ['X-Amz-Date', '20150830T123600Z'] as const;
  const form = 'Param1=value1';
  const token =
    'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';
  const unreserved = '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const cases: Array<
    [
      name: string,
      method: string,
      target: string,
      headers: Array<readonly [string, string]>,
      body: string,
      signature: string,
    ]
  > = [
    [
      'get-vanilla',
      'GET',
      '/',
      [host, date],
      '',
      '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    ],
    [
      'get-vanilla-query-order-key-case',
      'GET',
      '/?Param2=value2&Param1=value1',
      [host, date],
      '',
      'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
    ],
    [
      'get-vanilla-empty-query-key',
      'GET',
      '/?Param1=value1',
      [host, date],
      '',
      'a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb',
    ],
    [
      'get-vanilla-query-unreserved',
      'GET',
      `/?${unreserved}=${unreserved}`,
      [host, date],
      '',
      '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
    ],
    [
      'get-vanilla-utf8-query',
      'GET',
      '/?%E1%88%B4=bar',
      [host, date],
      '',
      '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04',
    ],
    [
      'get-unreserved',
      'GET',
      `/${unreserved}`,
      [host, date],
      '',
      '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f',
    ],
    [
      'get-utf8',
      'GET',
      '/%E1%88%B4',
      [host, date],
      '',
      '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85',
    ],
    [
      'get-space',
      'GET',
      '/example%20space/',
      [host, date],
      '',
      '652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741',
    ],
    [
      'get-header-value-trim',
      'GET',
      '/',
      [host, ['My-Header1', ' value1'], ['My-Header2', ' "a   b   c"'], date],
      '',
      'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
    ],
    [
      'get-header-key-duplicate',
      'GET',
      '/',
      [host, ['My-Header1', 'value2'], ['My-Header1', 'value2'], ['My-Header1', 'value1'], date],
      '',
      'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea',
    ],
    [
      'get-header-value-order',
      'GET',
      '/',
      [
        host,
        ['My-Header1', 'value4'],
        ['My-Header1', 'value1'],
        ['My-Header1', 'value3'],
        ['My-Header1', 'value2'],
        date,
      ],
      '',
      '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01',
    ],
    [
      'post-vanilla',
      'POST',
      '/',
      [host, date],
      '',
      '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    ],
    [
      'post-x-www-form-urlencoded',
      'POST',
      '/',
      [['Content-Type', 'application/x-www-form-urlencoded'], host, date],
      form,
      'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
    ],
    [
      'post-x-www-form-urlencoded-parameters',
      'POST',
      '/',
      [['Content-Type', 'application/x-www-form-urlencoded; charset=utf8'], host, date],
      form,
      '1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe',
    ],
    [
      'post-sts-header-before',
      'POST',
      '/',
      [host, date, ['X-Amz-Security-Token', token]],
      '',
      '85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead',
    ],
  ];
  for (const [name, method, target, headers, body, signature] of cases) {
    it(name, () => assert.equal(sign(SUITE, method, target, headers, sha256Hex(body)).signature, signature));
  }

  it('get-vanilla: canonical request and string to sign', () => {
    const { canonical, sts } = sign(SUITE, 'GET', '/', [host, date], EMPTY_SHA256);
    assert.equal(
      canonical,
      `GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_SHA256}`,
    );
    assert.equal(
      sts,
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    );
  });
});

describe('the S3 examples of Signature Calculations for the Authorization Header', () => {
  const host = ['Host', 'examplebucket.s3.amazonaws.com'] as const;
  const amzDate = ['x-amz-date', '20130524T000000Z'] as const;
  const empty = ['x-amz-content-sha256', EMPTY_SHA256] as const;
  const putHash = sha256Hex('Welcome to Amazon S3.');
  const cases: Array<
    [
      name: string,
      method: string,
      target: string,
      headers: Array<readonly [string, string]>,
      payload: string,
      sts: string,
      signature: string,
    ]
  > = [
    [
      'GET Object with a Range',
      'GET',
      '/test.txt',
      [host, ['Range', 'bytes=0-9'], empty, amzDate],
      EMPTY_SHA256,
      '7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972',
      'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    ],
    [
      'PUT Object (a $ in the key)',
      'PUT',
      '/test$file.text',
      [
        ['Date', 'Fri, 24 May 2013 00:00:00 GMT'],
        host,
        ['x-amz-content-sha256', putHash],
        amzDate,
        ['x-amz-storage-class', 'REDUCED_REDUNDANCY'],
      ],
      putHash,
      '9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d',
      '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    ],
    [
      'GET Bucket Lifecycle (?lifecycle)',
      'GET',
      '/?lifecycle',
      [host, empty, amzDate],
      EMPTY_SHA256,
      '9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca',
      'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
    ],
    [
      'GET Bucket (List Objects)',
      'GET',
      '/?max-keys=2&prefix=J',
      [host, empty, amzDate],
      EMPTY_SHA256,
      'df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7',
      '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
    ],
  ];
  for (const [name, method, target, headers, payload, stsHash, signature] of cases) {
    it(name, () => {
      const signed = sign(S3_DOCS, method, target, headers, payload);
      assert.equal(signed.signature, signature);
      assert.equal(signed.sts.split('\n')[3], stsHash);
    });
  }

  it('PUT Object: the canonical request encodes the "$" of the key', () => {
    const { canonical } = sign(S3_DOCS, 'PUT', '/test$file.text', [host], putHash);
    assert.equal(canonical.split('\n')[1], '/test%24file.text');
  });

  it('the presigned URL (GET /test.txt, X-Amz-Expires=86400)', () => {
    const query =
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
      '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
      '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
    const signed = sign(
      S3_DOCS,
      'GET',
      `/test.txt?${query}`,
      [host],
      'UNSIGNED-PAYLOAD',
      (n) => n === 'x-amz-signature',
    );
    assert.equal(signed.signature, 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
  });
});

describe('the S3 examples of chunked uploads (66560 bytes of "a" in chunks of 65536, 1024 and 0)', () => {
  const scope = credentialScope(S3_DOCS.date, S3_DOCS.region, S3_DOCS.service);
  const signingKey = deriveSigningKey(S3_DOCS.secret, S3_DOCS.date, S3_DOCS.region, S3_DOCS.service);
  const chunks = [Buffer.alloc(65536, 'a'), Buffer.alloc(1024, 'a'), Buffer.alloc(0)];
  const base = [
    ['content-encoding', 'aws-chunked'],
    ['host', 's3.amazonaws.com'],
    ['x-amz-date', '20130524T000000Z'],
    ['x-amz-decoded-content-length', '66560'],
    ['x-amz-storage-class', 'REDUCED_REDUNDANCY'],
  ] as const;
  const cases: Array<
    [
      name: string,
      headers: Array<readonly [string, string]>,
      seed: string,
      chunks: string[],
      trailer?: [string, string],
    ]
  > = [
    [
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      [...base, ['content-length', '66824'], ['x-amz-content-sha256', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD']],
      '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
      [
        'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
        '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
        'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
      ],
    ],
    [
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      [
        ...base,
        ['x-amz-content-sha256', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'],
        ['x-amz-trailer', 'x-amz-checksum-crc32c'],
      ],
      '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e',
      [
        'b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2',
        '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7',
        '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992',
      ],
      [
        'x-amz-checksum-crc32c:sOO8/Q==\n',
        'd81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435',
      ],
    ],
  ];
  for (const [name, headers, seed, chunkSignatures, trailer] of cases) {
    it(`${name}: seed signature`, () => {
      const mode = headers.find(([n]) => n === 'x-amz-content-sha256')![1];
      assert.equal(sign(S3_DOCS, 'PUT', '/examplebucket/chunkObject.txt', headers, mode).signature, seed);
    });
    it(`${name}: chunk${trailer ? ' and trailer' : ''} signatures, each chained to the previous one`, () => {
      const signer = new ChunkSigner({
        signingKey,
        amzDate: S3_DOCS.amzDate,
        scope,
        accessKey: 'AKIAIOSFODNN7EXAMPLE',
        seedSignature: seed,
      });
      chunks.forEach((data, i) => {
        const sts = signer.chunkStringToSign(sha256Hex(data));
        assert.equal(signString(signingKey, sts), chunkSignatures[i]);
        signer.verifyChunk(sha256Hex(data), chunkSignatures[i]!);
      });
      if (trailer) assert.equal(signString(signingKey, signer.trailerStringToSign(trailer[0])), trailer[1]);
    });
  }

  it('the first chunk: string to sign as the example shows it', () => {
    const signer = new ChunkSigner({
      signingKey,
      amzDate: S3_DOCS.amzDate,
      scope,
      accessKey: 'AKIAIOSFODNN7EXAMPLE',
      seedSignature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
    });
    assert.equal(
      signer.chunkStringToSign(sha256Hex(chunks[0]!)),
      'AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n' +
        '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9\n' +
        `${EMPTY_SHA256}\nbf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a`,
    );
  });

  it('a wrong chunk signature is SignatureDoesNotMatch', () => {
    const signer = new ChunkSigner({
      signingKey,
      amzDate: S3_DOCS.amzDate,
      scope,
      accessKey: 'AKIAIOSFODNN7EXAMPLE',
      seedSignature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
    });
    assert.throws(
      () =>
        signer.verifyChunk(
          sha256Hex(chunks[1]!),
          'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
        ),
      {
        code: 'SignatureDoesNotMatch',
      },
    );
  });
});
