/**
 * Signature V4 against AWS's "Signature Version 4 test suite" (AKIDEXAMPLE,
 * service "service", region us-east-1, 20150830T123600Z): canonical query
 * order, header trimming and repetition, unreserved and UTF-8 characters.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signTarget as sign, SUITE } from '../../../test/helpers/sigv4-canonical.js';
import { EMPTY_SHA256, sha256Hex } from './canonical-request.js';

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
