/**
 * Signature V4 against the S3 examples of the API reference
 * (AKIAIOSFODNN7EXAMPLE, examplebucket, 20130524): single-chunk requests, the
 * presigned URL, and chunked uploads with and without trailing headers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3_DOCS, signTarget as sign } from '../../../test/helpers/sigv4-canonical.js';
import { credentialScope, EMPTY_SHA256, sha256Hex } from './canonical-request.js';
import { ChunkSigner } from './chunk-signer.js';
import { deriveSigningKey, signString } from './signing-key.js';

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
