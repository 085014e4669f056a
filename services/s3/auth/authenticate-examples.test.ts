/**
 * The example requests of the AWS Signature V4 documentation, sent as they are
 * printed (clock pinned to 2013-05-24), accepted byte for byte: single-chunk
 * requests, the presigned URL, and chunked uploads with and without trailers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AK,
  authz,
  getObjectExample,
  HOST,
  OK,
  pick,
  STAMP,
  type Req,
  useAuthHarness,
} from '../../../test/helpers/auth-harness.js';
import { EMPTY_SHA256, sha256 } from '../../../test/helpers/sigv4-sign.js';

const send = useAuthHarness();

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
