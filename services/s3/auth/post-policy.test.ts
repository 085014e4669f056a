/**
 * POST policies: AWS's signed examples (the policy is the string to sign),
 * the document's parse errors, and the evaluation of conditions against a form.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { User } from '../../store/types.js';
import { authenticatePostForm } from './post-auth.js';
import { checkPostPolicy, type FormField } from './post-policy-check.js';
import { decodePostPolicy } from './post-policy.js';
import { deriveSigningKey, signString } from './signing-key.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/** The policy of "Example: Browser-Based Upload using HTTP POST (Using AWS Signature Version 4)". */
const EXAMPLE_2015 =
  'eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9';

/** The same example as the documentation printed it in 2013. */
const EXAMPLE_2013 =
  'eyAiZXhwaXJhdGlvbiI6ICIyMDEzLTA4LTA3VDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJleGFtcGxlYnVja2V0In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIka2V5IiwgInVzZXIvdXNlcjEvIl0sDQogICAgeyJhY2wiOiAicHVibGljLXJlYWQifSwNCiAgICB7InN1Y2Nlc3NfYWN0aW9uX3JlZGlyZWN0IjogImh0dHA6Ly9leGFtcGxlYnVja2V0LnMzLmFtYXpvbmF3cy5jb20vc3VjY2Vzc2Z1bF91cGxvYWQuaHRtbCJ9LA0KICAgIFsic3RhcnRzLXdpdGgiLCAiJENvbnRlbnQtVHlwZSIsICJpbWFnZS8iXSwNCiAgICB7IngtYW16LW1ldGEtdXVpZCI6ICIxNDM2NTEyMzY1MTI3NCJ9LA0KICAgIFsic3RhcnRzLXdpdGgiLCAiJHgtYW16LW1ldGEtdGFnIiwgIiJdLA0KDQogICAgeyJ4LWFtei1jcmVkZW50aWFsIjogIkFLSUFJT1NGT0ROTjdFWEFNUExFLzIwMTMwODA2L3VzLWVhc3QtMS9zMy9hd3M0X3JlcXVlc3QifSwNCiAgICB7IngtYW16LWFsZ29yaXRobSI6ICJBV1M0LUhNQUMtU0hBMjU2In0sDQogICAgeyJ4LWFtei1kYXRlIjogIjIwMTMwODA2VDAwMDAwMFoiIH0NCiAgXQ0KfQ==';

function form(entries: Array<[string, string]>): Map<string, FormField> {
  return new Map(entries.map(([name, value]) => [name.toLowerCase(), { name, value }]));
}

function policyOf(doc: unknown): string {
  return Buffer.from(JSON.stringify(doc)).toString('base64');
}

/** The example's form, as its HTML sends it (mixed-case names, a file named photo.jpg). */
const exampleForm = () =>
  form([
    ['key', 'user/user1/photo.jpg'],
    ['acl', 'public-read'],
    ['success_action_redirect', 'http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html'],
    ['Content-Type', 'image/jpeg'],
    ['x-amz-meta-uuid', '14365123651274'],
    ['x-amz-server-side-encryption', 'AES256'],
    ['X-Amz-Credential', 'AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request'],
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Date', '20151229T000000Z'],
    ['x-amz-meta-tag', ''],
    ['Policy', EXAMPLE_2015],
    ['X-Amz-Signature', '8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e'],
  ]);

describe('the POST policy signature', () => {
  const cases: Array<[name: string, policy: string, date: string, signature: string]> = [
    [
      'the SigV4 POST example',
      EXAMPLE_2015,
      '20151229',
      '8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e',
    ],
    [
      'the 2013 SigV4 POST example',
      EXAMPLE_2013,
      '20130806',
      '21496b44de44ccb73d545f1a995c68214c9cb0d41c45a17a5daeec0b1a6db047',
    ],
  ];
  for (const [name, policy, date, signature] of cases) {
    it(name, () =>
      assert.equal(signString(deriveSigningKey(SECRET, date, 'us-east-1', 's3'), policy), signature),
    );
  }

  const user: User = {
    accessKey: 'AKIAIOSFODNN7EXAMPLE',
    secretKey: SECRET,
    id: 'x'.repeat(64),
    displayName: 'u',
    isRoot: true,
    createdAt: new Date(0),
  };
  const ctx = {
    store: { findUser: (ak: string) => (ak === user.accessKey ? user : undefined) },
    region: 'us-east-1',
  };

  it('authenticates the example form and accepts it before the expiration', () => {
    const auth = authenticatePostForm(exampleForm(), ctx);
    assert.equal(auth.user, user);
    assert.equal(
      checkPostPolicy(auth.policy, exampleForm(), 'sigv4examplebucket', Date.parse('2015-12-30T12:00:00Z')),
      undefined,
    );
    assert.throws(
      () =>
        checkPostPolicy(
          auth.policy,
          exampleForm(),
          'sigv4examplebucket',
          Date.parse('2015-12-30T12:00:00.001Z'),
        ),
      {
        code: 'AccessDenied',
        message: 'Invalid according to Policy: Policy expired.',
      },
    );
  });

  const failures: Array<
    [name: string, edit: (f: Map<string, FormField>) => void, expected: Record<string, unknown>]
  > = [
    [
      'no signing fields at all',
      (f) =>
        ['x-amz-credential', 'x-amz-algorithm', 'x-amz-date', 'x-amz-signature', 'policy'].forEach((n) =>
          f.delete(n),
        ),
      { code: 'AccessDenied', message: 'Access Denied' },
    ],
    [
      'no X-Amz-Signature',
      (f) => f.delete('x-amz-signature'),
      {
        code: 'InvalidArgument',
        message:
          "Bucket POST must contain a field named 'X-Amz-Signature'.  If it is specified, please check the order of the fields.",
      },
    ],
    [
      'no X-Amz-Algorithm nor X-Amz-Credential',
      (f) => (f.delete('x-amz-algorithm'), f.delete('x-amz-credential')),
      { code: 'InvalidArgument', details: { ArgumentName: 'X-Amz-Algorithm', ArgumentValue: '' } },
    ],
    [
      'Signature Version 2 fields',
      (f) => (f.delete('x-amz-algorithm'), f.set('awsaccesskeyid', { name: 'AWSAccessKeyId', value: 'AK' })),
      { code: 'InvalidRequest' },
    ],
    [
      'another region',
      (f) =>
        f.set('x-amz-credential', {
          name: 'X-Amz-Credential',
          value: 'AKIAIOSFODNN7EXAMPLE/20151229/eu-west-1/s3/aws4_request',
        }),
      { code: 'InvalidArgument', message: "the region 'eu-west-1' is wrong; expecting 'us-east-1'" },
    ],
    [
      'an unknown access key',
      (f) =>
        f.set('x-amz-credential', {
          name: 'X-Amz-Credential',
          value: 'AKIAUNKNOWN/20151229/us-east-1/s3/aws4_request',
        }),
      { code: 'InvalidAccessKeyId' },
    ],
    [
      'a malformed X-Amz-Date',
      (f) => f.set('x-amz-date', { name: 'X-Amz-Date', value: '2015-12-29' }),
      { code: 'InvalidArgument', details: { ArgumentName: 'X-Amz-Date', ArgumentValue: '2015-12-29' } },
    ],
    [
      'a truncated policy',
      (f) => f.set('policy', { name: 'Policy', value: EXAMPLE_2015.slice(0, -2) }),
      {
        code: 'SignatureDoesNotMatch',
        details: { AWSAccessKeyId: 'AKIAIOSFODNN7EXAMPLE', StringToSign: EXAMPLE_2015.slice(0, -2) },
      },
    ],
  ];
  for (const [name, edit, expected] of failures) {
    it(`refuses ${name}`, () => {
      const f = exampleForm();
      edit(f);
      assert.throws(
        () => authenticatePostForm(f, ctx),
        (e: Record<string, unknown>) => {
          for (const [k, v] of Object.entries(expected)) {
            if (k === 'details')
              for (const [dk, dv] of Object.entries(v as object))
                assert.equal((e['details'] as Record<string, unknown>)[dk], dv);
            else assert.equal(e[k], v);
          }
          return true;
        },
      );
    });
  }
});

describe('decodePostPolicy', () => {
  const expiration = '2030-01-01T00:00:00.000Z';
  const cases: Array<[name: string, policy: string, message: string]> = [
    ['not base64', 'not base64!', 'Invalid Policy: invalid Base64 encoding.'],
    ['not JSON', Buffer.from('{nope').toString('base64'), 'Invalid Policy: Invalid JSON.'],
    ['a JSON array', policyOf([]), 'Invalid Policy: Invalid JSON.'],
    ['no expiration', policyOf({ conditions: [] }), 'Invalid Policy: Policy missing expiration.'],
    [
      'an expiration with an offset',
      policyOf({ expiration: '2030-01-01T00:00:00+02:00', conditions: [] }),
      "Invalid Policy: Invalid 'expiration' value: '2030-01-01T00:00:00+02:00'",
    ],
    ['no conditions', policyOf({ expiration }), 'Invalid Policy: Policy missing conditions.'],
    [
      'conditions that are not a list',
      policyOf({ expiration, conditions: {} }),
      "Invalid Policy: Invalid 'conditions' value: must be a List.",
    ],
    [
      'an unknown member',
      policyOf({ Statement: [], expiration, conditions: [] }),
      "Invalid Policy: Unexpected: 'statement'",
    ],
    [
      'a simple condition of two properties',
      policyOf({ expiration, conditions: [{ bucket: 'b', key: 'k' }] }),
      'Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
    ],
    [
      'an empty simple condition',
      policyOf({ expiration, conditions: [{}] }),
      'Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
    ],
    [
      'a simple condition with a number',
      policyOf({ expiration, conditions: [{ 'Content-Length': 6199034 }] }),
      'Invalid Policy: Invalid Simple-Condition: value must be a string.',
    ],
    [
      'a simple condition with null',
      policyOf({ expiration, conditions: [{ success_action_redirect: null }] }),
      'Invalid Policy: Invalid JSON.',
    ],
    [
      'an empty condition',
      policyOf({ expiration, conditions: [[]] }),
      'Invalid Policy: Invalid Condition: missing operation identifier.',
    ],
    [
      'an unknown operation',
      policyOf({ expiration, conditions: [['ends-with', '$key', 'x']] }),
      "Invalid Policy: Invalid Condition: unknown operation 'ends-with'.",
    ],
    [
      'eq with two items',
      policyOf({ expiration, conditions: [['eq', '$key']] }),
      'Invalid Policy: Invalid eq: wrong number of arguments.',
    ],
    [
      'a range with one bound',
      policyOf({ expiration, conditions: [['content-length-range', 0]] }),
      'Invalid Policy: Invalid content-length-range: wrong number of arguments.',
    ],
    [
      'a range with a fraction',
      policyOf({ expiration, conditions: [['content-length-range', 0, 512.5]] }),
      'Invalid Policy: Invalid JSON.',
    ],
    [
      'a negative range',
      policyOf({ expiration, conditions: [['content-length-range', -1, 0]] }),
      'Invalid Policy: Invalid content-length-range: the bounds must not be negative.',
    ],
    [
      'a condition that is a string',
      policyOf({ expiration, conditions: ['key'] }),
      'Invalid Policy: Invalid condition test: must be a List or Object.',
    ],
  ];
  for (const [name, policy, message] of cases) {
    it(`refuses ${name}`, () =>
      assert.throws(() => decodePostPolicy(policy), { code: 'InvalidPolicyDocument', status: 400, message }));
  }
});

describe('checkPostPolicy', () => {
  const now = Date.parse('2029-01-01T00:00:00Z');
  const check = (conditions: unknown[], fields: Array<[string, string]>, bucket = 'bkt') =>
    checkPostPolicy(
      decodePostPolicy(policyOf({ expiration: '2030-01-01T00:00:00Z', conditions })),
      form(fields),
      bucket,
      now,
    );
  const failed = (text: string) => ({
    code: 'AccessDenied',
    message: `Invalid according to Policy: Policy Condition failed: ${text}`,
  });
  const extra = (names: string) => ({
    code: 'AccessDenied',
    message: `Invalid according to Policy: Extra input fields: ${names}`,
  });
  const OK = undefined;
  const cases: Array<
    [name: string, conditions: unknown[], fields: Array<[string, string]>, expected: unknown]
  > = [
    ['an exact match', [{ key: 'a' }], [['key', 'a']], OK],
    ['an exact mismatch', [{ key: 'a' }], [['key', 'b']], failed('["eq", "$key", "a"]')],
    ['eq', [['eq', '$key', 'a']], [['key', 'a']], OK],
    ['values are case-sensitive', [['eq', '$key', 'a']], [['key', 'A']], failed('["eq", "$key", "a"]')],
    [
      'names are not',
      [['eq', '$KEY', 'a'], { 'Content-Type': 'text/plain' }],
      [
        ['Key', 'a'],
        ['content-type', 'text/plain'],
      ],
      OK,
    ],
    ['a name without $', [['eq', 'key', 'a']], [['key', 'a']], failed('["eq", "key", "a"]')],
    ['starts-with', [['starts-with', '$key', 'user/']], [['key', 'user/a.txt']], OK],
    [
      'starts-with that fails',
      [['starts-with', '$key', 'user/']],
      [['key', 'other/a.txt']],
      failed('["starts-with", "$key", "user/"]'),
    ],
    [
      'starts-with "" accepts anything',
      [['starts-with', '$x-amz-meta-tag', '']],
      [['x-amz-meta-tag', 'whatever']],
      OK,
    ],
    [
      'a condition on a field the form lacks',
      [['starts-with', '$Content-Type', '']],
      [],
      failed('["starts-with", "$Content-Type", ""]'),
    ],
    [
      'Content-Type lists: each value',
      [['starts-with', '$Content-Type', 'image/']],
      [['Content-Type', 'image/jpg,image/png']],
      OK,
    ],
    [
      'Content-Type lists: one value off',
      [['starts-with', '$Content-Type', 'image/']],
      [['Content-Type', 'image/jpg,text/plain']],
      failed('["starts-with", "$Content-Type", "image/"]'),
    ],
    ['other fields are plain strings', [['starts-with', '$key', 'a']], [['key', 'a,b']], OK],
    ['the bucket posted to', [{ bucket: 'bkt' }], [], OK],
    ['another bucket', [{ bucket: 'other' }], [], failed('["eq", "$bucket", "other"]')],
    ['a bucket field covered by the bucket condition', [{ bucket: 'bkt' }], [['bucket', 'bkt']], OK],
    [
      'an uncovered field',
      [{ key: 'a' }],
      [
        ['key', 'a'],
        ['x-amz-meta-note', 'n'],
      ],
      extra('x-amz-meta-note'),
    ],
    [
      'uncovered fields, as sent',
      [],
      [
        ['Zeta', '1'],
        ['alpha', '2'],
      ],
      extra('Zeta, alpha'),
    ],
    [
      'exempt fields',
      [],
      [
        ['policy', 'p'],
        ['X-Amz-Signature', 's'],
        ['x-ignore-tracker', '1'],
      ],
      OK,
    ],
    ['a range', [['content-length-range', 5, 10]], [], { min: 5, max: 10 }],
    ['a range of digit strings', [['content-length-range', '5', '10']], [], { min: 5, max: 10 }],
    [
      'two ranges',
      [
        ['content-length-range', 0, 10],
        ['content-length-range', 5, 20],
      ],
      [],
      { min: 5, max: 10 },
    ],
    [
      'a range with a word',
      [['content-length-range', 'test', '10']],
      [],
      failed('["content-length-range", "test", "10"]'),
    ],
  ];
  for (const [name, conditions, fields, expected] of cases) {
    it(name, () => {
      if (expected !== undefined && (expected as { code?: string }).code !== undefined)
        assert.throws(() => check(conditions, fields), expected as object);
      else assert.deepEqual(check(conditions, fields), expected);
    });
  }
});
